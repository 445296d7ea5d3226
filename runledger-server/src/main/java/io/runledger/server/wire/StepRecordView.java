package io.runledger.server.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A durable step; {@code replayed} when it had been recorded before. */
public record StepRecordView(
        String step,
        JsonNode output,
        int attempt,
        long seq,
        Instant createdAt,
        boolean replayed) {
}

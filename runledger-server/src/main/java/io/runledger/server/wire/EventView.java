package io.runledger.server.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One event of a run's ledger; {@code seq} is 1, 2, 3... without gaps per run. */
public record EventView(
        String runId,
        long seq,
        String type,
        int schemaVersion,
        JsonNode data,
        Instant createdAt) {
}

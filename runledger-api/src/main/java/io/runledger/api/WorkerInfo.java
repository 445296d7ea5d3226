package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** A worker seen in a scope, with what it announced on its last lease. */
public record WorkerInfo(
        String workerId,
        List<String> services,
        String version,
        JsonNode capabilities,
        Instant lastSeenAt,
        int runsHeld) {
}

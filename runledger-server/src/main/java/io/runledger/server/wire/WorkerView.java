package io.runledger.server.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** A worker seen in the scope. */
public record WorkerView(
        String workerId,
        List<String> services,
        @Nullable String version,
        JsonNode capabilities,
        Instant lastSeenAt,
        int runsHeld) {
}

package io.runledger.server.wire;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A batch with its runs' statuses. */
public record BatchView(
        String batchId,
        String scope,
        String service,
        int size,
        Instant createdAt,
        @JsonPropertyDescription("how many of its runs are in each status") Map<String, Integer> counts,
        long settled,
        boolean done,
        List<String> runIds) {
}

package io.runledger.server.wire;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A service and its defaults. */
public record ServiceView(
        String scope,
        String service,
        int maxAttempts,
        int leaseTtlSeconds,
        @JsonPropertyDescription("the JSON Schema inputs must conform to; null for none") JsonNode inputSchema,
        @Nullable Integer concurrencyLimit,
        @Nullable String description,
        RetryView retry,
        Instant createdAt,
        Instant updatedAt,
        boolean paused,
        int retentionDays) {
}

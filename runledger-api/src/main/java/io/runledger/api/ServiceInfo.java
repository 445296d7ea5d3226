package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A registered service with its effective defaults ({@code retry} complete: unset fields filled in). */
public record ServiceInfo(
        String scope,
        String service,
        int maxAttempts,
        int leaseTtlSeconds,
        JsonNode inputSchema,
        Integer concurrencyLimit,
        String description,
        RetryPolicy retry,
        Instant createdAt,
        Instant updatedAt) {
}

package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A registered service with its effective defaults ({@code retry} complete: unset fields filled in).
 * A {@code paused} service still accepts triggers, but leases skip it until it is resumed.
 */
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
        Instant updatedAt,
        boolean paused) {

    /** A service that is not paused; the shape before queue controls. */
    public ServiceInfo(String scope, String service, int maxAttempts, int leaseTtlSeconds, JsonNode inputSchema,
                       Integer concurrencyLimit, String description, RetryPolicy retry, Instant createdAt,
                       Instant updatedAt) {
        this(scope, service, maxAttempts, leaseTtlSeconds, inputSchema, concurrencyLimit, description, retry,
                createdAt, updatedAt, false);
    }
}

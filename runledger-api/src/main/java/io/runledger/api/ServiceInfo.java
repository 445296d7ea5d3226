package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A registered service with its effective defaults ({@code retry} complete: unset fields filled in).
 * A {@code paused} service still accepts triggers, but leases skip it until it is resumed.
 * Its terminal runs are deleted {@code retentionDays} after they finished (0: never).
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
        boolean paused,
        int retentionDays) {

    /** With the default retention; the shape before retention. */
    public ServiceInfo(String scope, String service, int maxAttempts, int leaseTtlSeconds, JsonNode inputSchema,
                       Integer concurrencyLimit, String description, RetryPolicy retry, Instant createdAt,
                       Instant updatedAt, boolean paused) {
        this(scope, service, maxAttempts, leaseTtlSeconds, inputSchema, concurrencyLimit, description, retry,
                createdAt, updatedAt, paused, ServiceSpec.DEFAULT_RETENTION_DAYS);
    }

    /** A service that is not paused; the shape before queue controls. */
    public ServiceInfo(String scope, String service, int maxAttempts, int leaseTtlSeconds, JsonNode inputSchema,
                       Integer concurrencyLimit, String description, RetryPolicy retry, Instant createdAt,
                       Instant updatedAt) {
        this(scope, service, maxAttempts, leaseTtlSeconds, inputSchema, concurrencyLimit, description, retry,
                createdAt, updatedAt, false, ServiceSpec.DEFAULT_RETENTION_DAYS);
    }
}

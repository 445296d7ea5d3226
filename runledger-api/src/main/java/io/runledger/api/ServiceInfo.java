package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A registered service with its effective defaults ({@code retry} complete: unset fields filled in).
 * A {@code paused} service still accepts triggers, but leases skip it until it is resumed.
 * Its terminal runs are deleted {@code retentionDays} after they finished (0: never).
 *
 * @param scope the scope
 * @param service the service's name
 * @param maxAttempts attempts a run may take
 * @param leaseTtlSeconds how long a lease lasts without a heartbeat
 * @param inputSchema the JSON Schema inputs must match, or null
 * @param concurrencyLimit the most runs running at once, or null for no limit
 * @param description what it does, or null
 * @param retry the retry policy, complete
 * @param createdAt when it was created
 * @param updatedAt when it was last changed
 * @param paused whether leases skip it
 * @param retentionDays days its terminal runs are kept; 0: forever
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

    /**
     * With the default retention; the shape before retention.
     *
     * @param scope the scope
     * @param service the service's name
     * @param maxAttempts attempts a run may take
     * @param leaseTtlSeconds how long a lease lasts without a heartbeat
     * @param inputSchema the JSON Schema inputs must match, or null
     * @param concurrencyLimit the most runs running at once, or null for no limit
     * @param description what it does, or null
     * @param retry the retry policy, complete
     * @param createdAt when it was created
     * @param updatedAt when it was last changed
     * @param paused whether leases skip it
     */
    public ServiceInfo(String scope, String service, int maxAttempts, int leaseTtlSeconds, JsonNode inputSchema,
                       Integer concurrencyLimit, String description, RetryPolicy retry, Instant createdAt,
                       Instant updatedAt, boolean paused) {
        this(scope, service, maxAttempts, leaseTtlSeconds, inputSchema, concurrencyLimit, description, retry,
                createdAt, updatedAt, paused, ServiceSpec.DEFAULT_RETENTION_DAYS);
    }

    /**
     * A service that is not paused; the shape before queue controls.
     *
     * @param scope the scope
     * @param service the service's name
     * @param maxAttempts attempts a run may take
     * @param leaseTtlSeconds how long a lease lasts without a heartbeat
     * @param inputSchema the JSON Schema inputs must match, or null
     * @param concurrencyLimit the most runs running at once, or null for no limit
     * @param description what it does, or null
     * @param retry the retry policy, complete
     * @param createdAt when it was created
     * @param updatedAt when it was last changed
     */
    public ServiceInfo(String scope, String service, int maxAttempts, int leaseTtlSeconds, JsonNode inputSchema,
                       Integer concurrencyLimit, String description, RetryPolicy retry, Instant createdAt,
                       Instant updatedAt) {
        this(scope, service, maxAttempts, leaseTtlSeconds, inputSchema, concurrencyLimit, description, retry,
                createdAt, updatedAt, false, ServiceSpec.DEFAULT_RETENTION_DAYS);
    }
}

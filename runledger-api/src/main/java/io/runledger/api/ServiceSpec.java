package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A service's defaults, as set with a PUT. Null fields take the engine defaults.
 * {@code retentionDays}: terminal runs that finished longer ago are deleted with their ledger
 * (0..3650, default {@value #DEFAULT_RETENTION_DAYS}; 0 keeps them forever).
 *
 * @param maxAttempts attempts a run may take; null: {@value #DEFAULT_MAX_ATTEMPTS}
 * @param leaseTtlSeconds how long a lease lasts without a heartbeat; null: {@value
 *     #DEFAULT_LEASE_TTL_SECONDS}
 * @param inputSchema a JSON Schema inputs must match; null: any input
 * @param concurrencyLimit the most runs running at once; null: no limit
 * @param description what it does; may be null
 * @param retry the retry policy; null: the default
 * @param retentionDays days terminal runs are kept; null: {@value #DEFAULT_RETENTION_DAYS}
 */
public record ServiceSpec(
        Integer maxAttempts,
        Integer leaseTtlSeconds,
        JsonNode inputSchema,
        Integer concurrencyLimit,
        String description,
        RetryPolicy retry,
        Integer retentionDays) {

    /**
     * With the default retention.
     *
     * @param maxAttempts attempts a run may take; null: {@value #DEFAULT_MAX_ATTEMPTS}
     * @param leaseTtlSeconds how long a lease lasts without a heartbeat; null: {@value
     *     #DEFAULT_LEASE_TTL_SECONDS}
     * @param inputSchema a JSON Schema inputs must match; null: any input
     * @param concurrencyLimit the most runs running at once; null: no limit
     * @param description what it does; may be null
     * @param retry the retry policy; null: the default
     */
    public ServiceSpec(Integer maxAttempts, Integer leaseTtlSeconds, JsonNode inputSchema, Integer concurrencyLimit,
                       String description, RetryPolicy retry) {
        this(maxAttempts, leaseTtlSeconds, inputSchema, concurrencyLimit, description, retry, null);
    }

    /**
     * Without a retry policy (the default one applies).
     *
     * @param maxAttempts attempts a run may take; null: {@value #DEFAULT_MAX_ATTEMPTS}
     * @param leaseTtlSeconds how long a lease lasts without a heartbeat; null: {@value
     *     #DEFAULT_LEASE_TTL_SECONDS}
     * @param inputSchema a JSON Schema inputs must match; null: any input
     * @param concurrencyLimit the most runs running at once; null: no limit
     * @param description what it does; may be null
     */
    public ServiceSpec(Integer maxAttempts, Integer leaseTtlSeconds, JsonNode inputSchema, Integer concurrencyLimit,
                       String description) {
        this(maxAttempts, leaseTtlSeconds, inputSchema, concurrencyLimit, description, null, null);
    }

    /** Attempts a run may take unless the service or the trigger says otherwise. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** Seconds a lease lasts without a heartbeat unless the service says otherwise. */
    public static final int DEFAULT_LEASE_TTL_SECONDS = 30;
    /** Days terminal runs are kept unless the service says otherwise. */
    public static final int DEFAULT_RETENTION_DAYS = 30;
    /** The longest retention, ten years. */
    public static final int MAX_RETENTION_DAYS = 3650;

    /** {@return a spec with every field unset: the engine's defaults} */
    public static ServiceSpec defaults() {
        return new ServiceSpec(null, null, null, null, null, null, null);
    }
}

package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A service's defaults, as set with a PUT. Null fields take the engine defaults.
 * {@code retentionDays}: terminal runs that finished longer ago are deleted with their ledger
 * (0..3650, default {@value #DEFAULT_RETENTION_DAYS}; 0 keeps them forever).
 */
public record ServiceSpec(
        Integer maxAttempts,
        Integer leaseTtlSeconds,
        JsonNode inputSchema,
        Integer concurrencyLimit,
        String description,
        RetryPolicy retry,
        Integer retentionDays) {

    /** With the default retention. */
    public ServiceSpec(Integer maxAttempts, Integer leaseTtlSeconds, JsonNode inputSchema, Integer concurrencyLimit,
                       String description, RetryPolicy retry) {
        this(maxAttempts, leaseTtlSeconds, inputSchema, concurrencyLimit, description, retry, null);
    }

    /** Without a retry policy (the default one applies). */
    public ServiceSpec(Integer maxAttempts, Integer leaseTtlSeconds, JsonNode inputSchema, Integer concurrencyLimit,
                       String description) {
        this(maxAttempts, leaseTtlSeconds, inputSchema, concurrencyLimit, description, null, null);
    }

    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final int DEFAULT_LEASE_TTL_SECONDS = 30;
    public static final int DEFAULT_RETENTION_DAYS = 30;
    public static final int MAX_RETENTION_DAYS = 3650;

    public static ServiceSpec defaults() {
        return new ServiceSpec(null, null, null, null, null, null, null);
    }
}

package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;

/** A service's defaults, as set with a PUT. Null fields take the engine defaults. */
public record ServiceSpec(
        Integer maxAttempts,
        Integer leaseTtlSeconds,
        JsonNode inputSchema,
        Integer concurrencyLimit,
        String description,
        RetryPolicy retry) {

    /** Without a retry policy (the default one applies). */
    public ServiceSpec(Integer maxAttempts, Integer leaseTtlSeconds, JsonNode inputSchema, Integer concurrencyLimit,
                       String description) {
        this(maxAttempts, leaseTtlSeconds, inputSchema, concurrencyLimit, description, null);
    }

    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final int DEFAULT_LEASE_TTL_SECONDS = 30;

    public static ServiceSpec defaults() {
        return new ServiceSpec(null, null, null, null, null, null);
    }
}

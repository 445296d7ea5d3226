package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * What a caller asks for when triggering a run. Every field but {@code input} is optional;
 * {@code runAt} and {@code delaySeconds} are mutually exclusive.
 */
public record TriggerRequest(
        JsonNode input,
        String idempotencyKey,
        String concurrencyKey,
        OnConflict onConflict,
        String correlationId,
        String parentRunId,
        List<String> tags,
        JsonNode metadata,
        Instant runAt,
        Long delaySeconds,
        Long ttlSeconds,
        Integer maxAttempts,
        RetryPolicy retry,
        Integer priority) {

    /** Leases take higher priority first; the default. */
    public static final int DEFAULT_PRIORITY = 0;
    public static final int MIN_PRIORITY = -100;
    public static final int MAX_PRIORITY = 100;

    /** Without a priority (the default, 0). */
    public TriggerRequest(JsonNode input, String idempotencyKey, String concurrencyKey, OnConflict onConflict,
                          String correlationId, String parentRunId, List<String> tags, JsonNode metadata,
                          Instant runAt, Long delaySeconds, Long ttlSeconds, Integer maxAttempts, RetryPolicy retry) {
        this(input, idempotencyKey, concurrencyKey, onConflict, correlationId, parentRunId, tags, metadata, runAt,
                delaySeconds, ttlSeconds, maxAttempts, retry, null);
    }

    /** Without a retry policy of its own (the service's applies). */
    public TriggerRequest(JsonNode input, String idempotencyKey, String concurrencyKey, OnConflict onConflict,
                          String correlationId, String parentRunId, List<String> tags, JsonNode metadata,
                          Instant runAt, Long delaySeconds, Long ttlSeconds, Integer maxAttempts) {
        this(input, idempotencyKey, concurrencyKey, onConflict, correlationId, parentRunId, tags, metadata, runAt,
                delaySeconds, ttlSeconds, maxAttempts, null, null);
    }

    public TriggerRequest {
        // Not List.copyOf: a null element must reach validation (invalid_argument), not throw here.
        tags = tags == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(tags));
    }

    /** This request with another parent (a child run's trigger). */
    public TriggerRequest withParent(String parent) {
        return new TriggerRequest(input, idempotencyKey, concurrencyKey, onConflict, correlationId, parent, tags,
                metadata, runAt, delaySeconds, ttlSeconds, maxAttempts, retry, priority);
    }

    /** This request with another idempotency key. */
    public TriggerRequest withIdempotencyKey(String key) {
        return new TriggerRequest(input, key, concurrencyKey, onConflict, correlationId, parentRunId, tags,
                metadata, runAt, delaySeconds, ttlSeconds, maxAttempts, retry, priority);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static TriggerRequest of(JsonNode input) {
        return builder().input(input).build();
    }

    /** Fluent construction; unset fields stay null (meaning: the service default). */
    public static final class Builder {
        private JsonNode input;
        private String idempotencyKey;
        private String concurrencyKey;
        private OnConflict onConflict;
        private String correlationId;
        private String parentRunId;
        private List<String> tags = List.of();
        private JsonNode metadata;
        private Instant runAt;
        private Long delaySeconds;
        private Long ttlSeconds;
        private Integer maxAttempts;
        private RetryPolicy retry;
        private Integer priority;

        public Builder input(JsonNode input) { this.input = input; return this; }
        public Builder idempotencyKey(String key) { this.idempotencyKey = key; return this; }
        public Builder concurrencyKey(String key) { this.concurrencyKey = key; return this; }
        public Builder onConflict(OnConflict mode) { this.onConflict = mode; return this; }
        public Builder correlationId(String id) { this.correlationId = id; return this; }
        public Builder parentRunId(String id) { this.parentRunId = id; return this; }
        public Builder tags(List<String> tags) { this.tags = tags; return this; }
        public Builder metadata(JsonNode metadata) { this.metadata = metadata; return this; }
        public Builder runAt(Instant runAt) { this.runAt = runAt; return this; }
        public Builder delaySeconds(long seconds) { this.delaySeconds = seconds; return this; }
        public Builder ttlSeconds(long seconds) { this.ttlSeconds = seconds; return this; }
        public Builder maxAttempts(int attempts) { this.maxAttempts = attempts; return this; }
        public Builder retry(RetryPolicy policy) { this.retry = policy; return this; }
        public Builder priority(int priority) { this.priority = priority; return this; }

        public TriggerRequest build() {
            return new TriggerRequest(input, idempotencyKey, concurrencyKey, onConflict, correlationId,
                    parentRunId, tags, metadata, runAt, delaySeconds, ttlSeconds, maxAttempts, retry, priority);
        }
    }
}

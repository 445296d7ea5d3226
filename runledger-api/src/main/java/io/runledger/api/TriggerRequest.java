package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * What a caller asks for when triggering a run. Every field but {@code input} is optional;
 * {@code runAt} and {@code delaySeconds} are mutually exclusive.
 *
 * @param input the run's input, any JSON (checked against the service's input schema, if it has one)
 * @param idempotencyKey makes a repeated trigger with the same body return the first run, for the key's
 *     TTL (24 h by default); null: none
 * @param concurrencyKey at most one non-terminal run holds a key at a time; null: none
 * @param onConflict what happens while another run holds the concurrency key; null: reject
 * @param correlationId an id of the caller's own, kept on the run and its receipt; null: none
 * @param parentRunId the run this one is a child of; null: none
 * @param tags labels to find the run by (at most 32); null: none
 * @param metadata any JSON the caller keeps on the run; null: an empty object
 * @param runAt when the run becomes due; null: now
 * @param delaySeconds seconds until the run becomes due; null: now
 * @param ttlSeconds how long the run may wait in the queue before it expires; null: forever
 * @param maxAttempts overrides the service's attempts for this run; null: the service's
 * @param retry overrides the service's retry policy for this run; null: the service's
 * @param priority leases take higher priority first, {@value #MIN_PRIORITY}..{@value #MAX_PRIORITY};
 *     null: 0
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
    /** The lowest priority. */
    public static final int MIN_PRIORITY = -100;
    /** The highest priority. */
    public static final int MAX_PRIORITY = 100;

    /**
     * Without a priority (the default, 0).
     *
     * @param input the run's input, any JSON (checked against the service's input schema, if it has one)
     * @param idempotencyKey makes a repeated trigger with the same body return the first run, for the
     *     key's TTL (24 h by default); null: none
     * @param concurrencyKey at most one non-terminal run holds a key at a time; null: none
     * @param onConflict what happens while another run holds the concurrency key; null: reject
     * @param correlationId an id of the caller's own, kept on the run and its receipt; null: none
     * @param parentRunId the run this one is a child of; null: none
     * @param tags labels to find the run by (at most 32); null: none
     * @param metadata any JSON the caller keeps on the run; null: an empty object
     * @param runAt when the run becomes due; null: now
     * @param delaySeconds seconds until the run becomes due; null: now
     * @param ttlSeconds how long the run may wait in the queue before it expires; null: forever
     * @param maxAttempts overrides the service's attempts for this run; null: the service's
     * @param retry overrides the service's retry policy for this run; null: the service's
     */
    public TriggerRequest(JsonNode input, String idempotencyKey, String concurrencyKey, OnConflict onConflict,
                          String correlationId, String parentRunId, List<String> tags, JsonNode metadata,
                          Instant runAt, Long delaySeconds, Long ttlSeconds, Integer maxAttempts, RetryPolicy retry) {
        this(input, idempotencyKey, concurrencyKey, onConflict, correlationId, parentRunId, tags, metadata, runAt,
                delaySeconds, ttlSeconds, maxAttempts, retry, null);
    }

    /**
     * Without a retry policy of its own (the service's applies).
     *
     * @param input the run's input, any JSON (checked against the service's input schema, if it has one)
     * @param idempotencyKey makes a repeated trigger with the same body return the first run, for the
     *     key's TTL (24 h by default); null: none
     * @param concurrencyKey at most one non-terminal run holds a key at a time; null: none
     * @param onConflict what happens while another run holds the concurrency key; null: reject
     * @param correlationId an id of the caller's own, kept on the run and its receipt; null: none
     * @param parentRunId the run this one is a child of; null: none
     * @param tags labels to find the run by (at most 32); null: none
     * @param metadata any JSON the caller keeps on the run; null: an empty object
     * @param runAt when the run becomes due; null: now
     * @param delaySeconds seconds until the run becomes due; null: now
     * @param ttlSeconds how long the run may wait in the queue before it expires; null: forever
     * @param maxAttempts overrides the service's attempts for this run; null: the service's
     */
    public TriggerRequest(JsonNode input, String idempotencyKey, String concurrencyKey, OnConflict onConflict,
                          String correlationId, String parentRunId, List<String> tags, JsonNode metadata,
                          Instant runAt, Long delaySeconds, Long ttlSeconds, Integer maxAttempts) {
        this(input, idempotencyKey, concurrencyKey, onConflict, correlationId, parentRunId, tags, metadata, runAt,
                delaySeconds, ttlSeconds, maxAttempts, null, null);
    }

    /** Keeps an unmodifiable copy of {@code tags} (none when null). */
    public TriggerRequest {
        // Not List.copyOf: a null element must reach validation (invalid_argument), not throw here.
        tags = tags == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(tags));
    }

    /**
     * This request with another parent (a child run's trigger).
     *
     * @param parent the parent run
     * @return a new request
     */
    public TriggerRequest withParent(String parent) {
        return new TriggerRequest(input, idempotencyKey, concurrencyKey, onConflict, correlationId, parent, tags,
                metadata, runAt, delaySeconds, ttlSeconds, maxAttempts, retry, priority);
    }

    /**
     * This request with another idempotency key.
     *
     * @param key the key, or null for none
     * @return a new request
     */
    public TriggerRequest withIdempotencyKey(String key) {
        return new TriggerRequest(input, key, concurrencyKey, onConflict, correlationId, parentRunId, tags,
                metadata, runAt, delaySeconds, ttlSeconds, maxAttempts, retry, priority);
    }

    /** {@return a builder with every field unset} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A request with an input and nothing else: the service's defaults apply.
     *
     * @param input the run's input
     * @return the request
     */
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

        /** An empty builder; {@link TriggerRequest#builder()} is the usual way to get one. */
        public Builder() {
        }

        /**
         * Sets {@link TriggerRequest#input()}.
         *
         * @param input the run's input
         * @return this builder
         */
        public Builder input(JsonNode input) { this.input = input; return this; }
        /**
         * Sets {@link TriggerRequest#idempotencyKey()}.
         *
         * @param key the idempotency key
         * @return this builder
         */
        public Builder idempotencyKey(String key) { this.idempotencyKey = key; return this; }
        /**
         * Sets {@link TriggerRequest#concurrencyKey()}.
         *
         * @param key the concurrency key
         * @return this builder
         */
        public Builder concurrencyKey(String key) { this.concurrencyKey = key; return this; }
        /**
         * Sets {@link TriggerRequest#onConflict()}.
         *
         * @param mode what happens while another run holds the concurrency key
         * @return this builder
         */
        public Builder onConflict(OnConflict mode) { this.onConflict = mode; return this; }
        /**
         * Sets {@link TriggerRequest#correlationId()}.
         *
         * @param id the caller's own id for the run
         * @return this builder
         */
        public Builder correlationId(String id) { this.correlationId = id; return this; }
        /**
         * Sets {@link TriggerRequest#parentRunId()}.
         *
         * @param id the parent run
         * @return this builder
         */
        public Builder parentRunId(String id) { this.parentRunId = id; return this; }
        /**
         * Sets {@link TriggerRequest#tags()}.
         *
         * @param tags the run's tags
         * @return this builder
         */
        public Builder tags(List<String> tags) { this.tags = tags; return this; }
        /**
         * Sets {@link TriggerRequest#metadata()}.
         *
         * @param metadata the caller's metadata
         * @return this builder
         */
        public Builder metadata(JsonNode metadata) { this.metadata = metadata; return this; }
        /**
         * Sets {@link TriggerRequest#runAt()}.
         *
         * @param runAt when the run becomes due
         * @return this builder
         */
        public Builder runAt(Instant runAt) { this.runAt = runAt; return this; }
        /**
         * Sets {@link TriggerRequest#delaySeconds()}.
         *
         * @param seconds seconds until the run becomes due
         * @return this builder
         */
        public Builder delaySeconds(long seconds) { this.delaySeconds = seconds; return this; }
        /**
         * Sets {@link TriggerRequest#ttlSeconds()}.
         *
         * @param seconds how long the run may wait in the queue
         * @return this builder
         */
        public Builder ttlSeconds(long seconds) { this.ttlSeconds = seconds; return this; }
        /**
         * Sets {@link TriggerRequest#maxAttempts()}.
         *
         * @param attempts the attempts for this run
         * @return this builder
         */
        public Builder maxAttempts(int attempts) { this.maxAttempts = attempts; return this; }
        /**
         * Sets {@link TriggerRequest#retry()}.
         *
         * @param policy the retry policy for this run
         * @return this builder
         */
        public Builder retry(RetryPolicy policy) { this.retry = policy; return this; }
        /**
         * Sets {@link TriggerRequest#priority()}.
         *
         * @param priority the priority, {@value #MIN_PRIORITY}..{@value #MAX_PRIORITY}
         * @return this builder
         */
        public Builder priority(int priority) { this.priority = priority; return this; }

        /** {@return the request with the fields set so far} */
        public TriggerRequest build() {
            return new TriggerRequest(input, idempotencyKey, concurrencyKey, onConflict, correlationId,
                    parentRunId, tags, metadata, runAt, delaySeconds, ttlSeconds, maxAttempts, retry, priority);
        }
    }
}

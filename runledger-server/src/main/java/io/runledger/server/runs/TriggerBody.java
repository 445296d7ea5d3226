package io.runledger.server.runs;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.OnConflict;
import io.runledger.api.RetryPolicy;
import io.runledger.api.TriggerRequest;
import io.runledger.core.internal.kernel.Limits;
import io.runledger.server.wire.OneOf;
import io.runledger.server.wire.Range;
import io.runledger.server.wire.Required;
import io.runledger.server.wire.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The body of a trigger ({@code POST .../runs}), and of everything that registers a run as a
 * trigger does (a streaming trigger adds {@link StreamOptions}, a child its fence, a batch one
 * per item). The engine checks the values; {@code input} is required and may be null.
 */
public record TriggerBody(
        @Required @JsonPropertyDescription("the run's input, any JSON value (null included); checked against"
                + " the service's inputSchema") JsonNode input,
        @JsonPropertyDescription("the same as the Idempotency-Key header (both at once must agree)")
        String idempotencyKey,
        @JsonPropertyDescription("at most one non-terminal run holds a concurrency key") String concurrencyKey,
        @JsonPropertyDescription("what to do while another run holds the concurrency key (default reject)")
        @OneOf(of = OnConflict.class) String onConflict,
        String correlationId,
        String parentRunId,
        @Range(max = Limits.MAX_TAGS) List<String> tags,
        @JsonPropertyDescription("a JSON object kept with the run") JsonNode metadata,
        @JsonPropertyDescription("when the run may start (RFC 3339); not with delaySeconds")
        @Timestamp String runAt,
        @Range(min = 0, max = Limits.MAX_DELAY_SECONDS) Long delaySeconds,
        @JsonPropertyDescription("a queued run not started within this many seconds expires")
        @Range(min = 1, max = Limits.MAX_TTL_SECONDS) Long ttlSeconds,
        @Range(min = 1, max = Limits.MAX_ATTEMPTS) Integer maxAttempts,
        @JsonPropertyDescription("overrides the service's retry policy, field by field") RetryPolicy retry,
        @JsonPropertyDescription("leases take higher priority first (default 0)")
        @Range(min = TriggerRequest.MIN_PRIORITY, max = TriggerRequest.MAX_PRIORITY) Integer priority) {

    public static final String INPUT = "input";
    /** How far ahead a run may be scheduled: the engine's limit for {@code delaySeconds} (366 days). */
    public static final Duration MAX_SCHEDULE = Duration.ofDays(366);

    /**
     * The engine's request. The key may come from the {@code Idempotency-Key} header or the
     * body; both at once must agree.
     */
    public TriggerRequest toRequest(String headerKey) {
        if (tags != null && tags.contains(null)) {
            throw new InvalidArgumentException("tags must be strings");
        }
        String key = idempotencyKey;
        if (headerKey != null) {
            if (key != null && !key.equals(headerKey)) {
                throw new InvalidArgumentException("the Idempotency-Key header and the idempotencyKey field differ");
            }
            key = headerKey;
        }
        return new TriggerRequest(
                input,
                key,
                concurrencyKey,
                onConflict == null ? null : OnConflict.fromWire(onConflict),
                correlationId,
                parentRunId,
                tags,
                metadata == null || metadata.isNull() ? null : metadata,
                parseRunAt(),
                delaySeconds,
                ttlSeconds,
                maxAttempts,
                retry,
                priority);
    }

    private Instant parseRunAt() {
        if (runAt == null) {
            return null;
        }
        Instant at;
        try {
            at = Instant.parse(runAt);
        } catch (DateTimeParseException e) {
            throw new InvalidArgumentException("runAt must be an RFC 3339 UTC timestamp, e.g. 2026-11-21T23:24:50.123456Z");
        }
        // The same horizon as delaySeconds; without it a far date overflows PostgreSQL's
        // timestamp range and fails in the database instead of here.
        if (at.isBefore(Instant.EPOCH) || at.isAfter(Instant.now().plus(MAX_SCHEDULE))) {
            throw new InvalidArgumentException("runAt must be between 1970-01-01 and " + MAX_SCHEDULE.toDays()
                    + " days from now");
        }
        return at;
    }
}

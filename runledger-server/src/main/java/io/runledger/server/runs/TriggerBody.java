package io.runledger.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.OnConflict;
import io.runledger.api.RetryPolicy;
import io.runledger.api.TriggerRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The body of a trigger ({@code POST .../runs} and {@code .../runs:stream}). {@code onDisconnect}
 * belongs to the streaming trigger only; the plain trigger refuses it as an unknown field.
 */
public record TriggerBody(
        JsonNode input,
        String idempotencyKey,
        String concurrencyKey,
        String onConflict,
        String correlationId,
        String parentRunId,
        List<String> tags,
        JsonNode metadata,
        String runAt,
        Long delaySeconds,
        Long ttlSeconds,
        Integer maxAttempts,
        RetryPolicy retry,
        Integer priority,
        String onDisconnect) {

    public static final String INPUT = "input";
    /** How far ahead a run may be scheduled: the engine's limit for {@code delaySeconds} (366 days). */
    public static final Duration MAX_SCHEDULE = Duration.ofDays(366);
    public static final String ON_DISCONNECT = "onDisconnect";

    /** Whether dropping the stream cancels the run: only when the body says {@code "cancel"}. */
    public boolean cancelOnDisconnect() {
        if (onDisconnect == null || onDisconnect.equals("detach")) {
            return false;
        }
        if (onDisconnect.equals("cancel")) {
            return true;
        }
        throw new InvalidArgumentException("onDisconnect must be 'cancel' or 'detach'");
    }

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

package io.runledger.api;

import java.time.Instant;

/**
 * Filters and page position for listing runs, newest first. Null fields do not filter;
 * {@code cursor} is the opaque {@code nextCursor} of a previous page. {@code health} keeps
 * only the runs in that condition (see {@link RunHealth}); {@code stuckAfterSeconds} and
 * {@code silentForSeconds} are its thresholds (1..2,592,000, default 300).
 * {@code createdAfter} and {@code createdBefore} bound the creation time, both exclusive.
 */
public record RunFilter(
        String service,
        RunStatus status,
        String concurrencyKey,
        String tag,
        String parentRunId,
        int limit,
        String cursor,
        RunHealth health,
        int stuckAfterSeconds,
        int silentForSeconds,
        Instant createdAfter,
        Instant createdBefore) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;
    public static final int DEFAULT_HEALTH_SECONDS = 300;
    /** 30 days. */
    public static final int MAX_HEALTH_SECONDS = 2_592_000;

    public RunFilter {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
        requireHealthSeconds("stuckAfterSeconds", stuckAfterSeconds);
        requireHealthSeconds("silentForSeconds", silentForSeconds);
    }

    /** The filter without health or creation-time bounds. */
    public RunFilter(String service, RunStatus status, String concurrencyKey, String tag, String parentRunId,
                     int limit, String cursor) {
        this(service, status, concurrencyKey, tag, parentRunId, limit, cursor, null,
                DEFAULT_HEALTH_SECONDS, DEFAULT_HEALTH_SECONDS, null, null);
    }

    /** The filter with health, without creation-time bounds. */
    public RunFilter(String service, RunStatus status, String concurrencyKey, String tag, String parentRunId,
                     int limit, String cursor, RunHealth health, int stuckAfterSeconds, int silentForSeconds) {
        this(service, status, concurrencyKey, tag, parentRunId, limit, cursor, health, stuckAfterSeconds,
                silentForSeconds, null, null);
    }

    private static void requireHealthSeconds(String name, int seconds) {
        if (seconds < 1 || seconds > MAX_HEALTH_SECONDS) {
            throw new InvalidArgumentException(name + " must be between 1 and " + MAX_HEALTH_SECONDS);
        }
    }

    public static RunFilter all() {
        return new RunFilter(null, null, null, null, null, DEFAULT_LIMIT, null);
    }

    public RunFilter withLimit(int newLimit) {
        return new RunFilter(service, status, concurrencyKey, tag, parentRunId, newLimit, cursor,
                health, stuckAfterSeconds, silentForSeconds, createdAfter, createdBefore);
    }

    public RunFilter withCursor(String newCursor) {
        return new RunFilter(service, status, concurrencyKey, tag, parentRunId, limit, newCursor,
                health, stuckAfterSeconds, silentForSeconds, createdAfter, createdBefore);
    }

    public RunFilter withService(String newService) {
        return new RunFilter(newService, status, concurrencyKey, tag, parentRunId, limit, cursor,
                health, stuckAfterSeconds, silentForSeconds, createdAfter, createdBefore);
    }

    public RunFilter withStatus(RunStatus newStatus) {
        return new RunFilter(service, newStatus, concurrencyKey, tag, parentRunId, limit, cursor,
                health, stuckAfterSeconds, silentForSeconds, createdAfter, createdBefore);
    }

    public RunFilter withConcurrencyKey(String key) {
        return new RunFilter(service, status, key, tag, parentRunId, limit, cursor,
                health, stuckAfterSeconds, silentForSeconds, createdAfter, createdBefore);
    }

    public RunFilter withTag(String newTag) {
        return new RunFilter(service, status, concurrencyKey, newTag, parentRunId, limit, cursor,
                health, stuckAfterSeconds, silentForSeconds, createdAfter, createdBefore);
    }

    public RunFilter withParentRunId(String id) {
        return new RunFilter(service, status, concurrencyKey, tag, id, limit, cursor,
                health, stuckAfterSeconds, silentForSeconds, createdAfter, createdBefore);
    }

    public RunFilter withHealth(RunHealth newHealth) {
        return new RunFilter(service, status, concurrencyKey, tag, parentRunId, limit, cursor,
                newHealth, stuckAfterSeconds, silentForSeconds, createdAfter, createdBefore);
    }

    public RunFilter withStuckAfterSeconds(int seconds) {
        return new RunFilter(service, status, concurrencyKey, tag, parentRunId, limit, cursor,
                health, seconds, silentForSeconds, createdAfter, createdBefore);
    }

    public RunFilter withSilentForSeconds(int seconds) {
        return new RunFilter(service, status, concurrencyKey, tag, parentRunId, limit, cursor,
                health, stuckAfterSeconds, seconds, createdAfter, createdBefore);
    }

    /** Only runs created strictly after {@code after} (null: no bound). */
    public RunFilter withCreatedAfter(Instant after) {
        return new RunFilter(service, status, concurrencyKey, tag, parentRunId, limit, cursor,
                health, stuckAfterSeconds, silentForSeconds, after, createdBefore);
    }

    /** Only runs created strictly before {@code before} (null: no bound). */
    public RunFilter withCreatedBefore(Instant before) {
        return new RunFilter(service, status, concurrencyKey, tag, parentRunId, limit, cursor,
                health, stuckAfterSeconds, silentForSeconds, createdAfter, before);
    }
}

package io.runledger.api;

import java.time.Instant;

/**
 * Filters and page position for listing runs, newest first. Null fields do not filter;
 * {@code cursor} is the opaque {@code nextCursor} of a previous page. {@code health} keeps
 * only the runs in that condition (see {@link RunHealth}); {@code stuckAfterSeconds} and
 * {@code silentForSeconds} are its thresholds (1..2,592,000, default 300).
 * {@code createdAfter} and {@code createdBefore} bound the creation time, both exclusive.
 *
 * @param service only runs of this service
 * @param status only runs in this status
 * @param concurrencyKey only runs with this concurrency key
 * @param tag only runs with this tag
 * @param parentRunId only children of this run
 * @param limit the page size, 1..{@value #MAX_LIMIT}
 * @param cursor the previous page's {@code nextCursor}, or null for the first page
 * @param health only runs in this condition
 * @param stuckAfterSeconds how long a queued run waits before it counts as stuck
 * @param silentForSeconds how long a running run goes without an event before it counts as silent
 * @param createdAfter only runs created after this time
 * @param createdBefore only runs created before this time
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

    /** The page size when none is asked for. */
    public static final int DEFAULT_LIMIT = 50;
    /** The largest page. */
    public static final int MAX_LIMIT = 200;
    /** The default of both health thresholds. */
    public static final int DEFAULT_HEALTH_SECONDS = 300;
    /** 30 days. */
    public static final int MAX_HEALTH_SECONDS = 2_592_000;

    /**
     * Checks the limit and the thresholds.
     *
     * @throws InvalidArgumentException if one is out of range
     */
    public RunFilter {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
        requireHealthSeconds("stuckAfterSeconds", stuckAfterSeconds);
        requireHealthSeconds("silentForSeconds", silentForSeconds);
    }

    /**
     * The filter without health or creation-time bounds.
     *
     * @param service only runs of this service
     * @param status only runs in this status
     * @param concurrencyKey only runs with this concurrency key
     * @param tag only runs with this tag
     * @param parentRunId only children of this run
     * @param limit the page size, 1..{@value #MAX_LIMIT}
     * @param cursor the previous page's {@code nextCursor}, or null for the first page
     */
    public RunFilter(String service, RunStatus status, String concurrencyKey, String tag, String parentRunId,
                     int limit, String cursor) {
        this(service, status, concurrencyKey, tag, parentRunId, limit, cursor, null,
                DEFAULT_HEALTH_SECONDS, DEFAULT_HEALTH_SECONDS, null, null);
    }

    /**
     * The filter with health, without creation-time bounds.
     *
     * @param service only runs of this service
     * @param status only runs in this status
     * @param concurrencyKey only runs with this concurrency key
     * @param tag only runs with this tag
     * @param parentRunId only children of this run
     * @param limit the page size, 1..{@value #MAX_LIMIT}
     * @param cursor the previous page's {@code nextCursor}, or null for the first page
     * @param health only runs in this condition
     * @param stuckAfterSeconds how long a queued run waits before it counts as stuck
     * @param silentForSeconds how long a running run goes without an event before it counts as silent
     */
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

    /** {@return a filter of every run, first page of {@value #DEFAULT_LIMIT}} */
    public static RunFilter all() {
        return new RunFilter(null, null, null, null, null, DEFAULT_LIMIT, null);
    }

    /**
     * This filter with another page size.
     *
     * @param newLimit the page size
     * @return a new filter
     */
    public RunFilter withLimit(int newLimit) {
        return new RunFilter(service, status, concurrencyKey, tag, parentRunId, newLimit, cursor,
                health, stuckAfterSeconds, silentForSeconds, createdAfter, createdBefore);
    }

    /**
     * This filter with another cursor.
     *
     * @param newCursor the cursor, or null for the first page
     * @return a new filter
     */
    public RunFilter withCursor(String newCursor) {
        return new RunFilter(service, status, concurrencyKey, tag, parentRunId, limit, newCursor,
                health, stuckAfterSeconds, silentForSeconds, createdAfter, createdBefore);
    }

    /**
     * This filter with another service.
     *
     * @param newService the service, or null for any
     * @return a new filter
     */
    public RunFilter withService(String newService) {
        return new RunFilter(newService, status, concurrencyKey, tag, parentRunId, limit, cursor,
                health, stuckAfterSeconds, silentForSeconds, createdAfter, createdBefore);
    }

    /**
     * This filter with another status.
     *
     * @param newStatus the status, or null for any
     * @return a new filter
     */
    public RunFilter withStatus(RunStatus newStatus) {
        return new RunFilter(service, newStatus, concurrencyKey, tag, parentRunId, limit, cursor,
                health, stuckAfterSeconds, silentForSeconds, createdAfter, createdBefore);
    }

    /**
     * This filter with another concurrency key.
     *
     * @param key the concurrency key, or null for any
     * @return a new filter
     */
    public RunFilter withConcurrencyKey(String key) {
        return new RunFilter(service, status, key, tag, parentRunId, limit, cursor,
                health, stuckAfterSeconds, silentForSeconds, createdAfter, createdBefore);
    }

    /**
     * This filter with another tag.
     *
     * @param newTag the tag, or null for any
     * @return a new filter
     */
    public RunFilter withTag(String newTag) {
        return new RunFilter(service, status, concurrencyKey, newTag, parentRunId, limit, cursor,
                health, stuckAfterSeconds, silentForSeconds, createdAfter, createdBefore);
    }

    /**
     * This filter with another parent run.
     *
     * @param id the parent run, or null for any
     * @return a new filter
     */
    public RunFilter withParentRunId(String id) {
        return new RunFilter(service, status, concurrencyKey, tag, id, limit, cursor,
                health, stuckAfterSeconds, silentForSeconds, createdAfter, createdBefore);
    }

    /**
     * This filter with another health condition.
     *
     * @param newHealth the condition, or null for any
     * @return a new filter
     */
    public RunFilter withHealth(RunHealth newHealth) {
        return new RunFilter(service, status, concurrencyKey, tag, parentRunId, limit, cursor,
                newHealth, stuckAfterSeconds, silentForSeconds, createdAfter, createdBefore);
    }

    /**
     * This filter with another stuck threshold.
     *
     * @param seconds the stuck threshold
     * @return a new filter
     */
    public RunFilter withStuckAfterSeconds(int seconds) {
        return new RunFilter(service, status, concurrencyKey, tag, parentRunId, limit, cursor,
                health, seconds, silentForSeconds, createdAfter, createdBefore);
    }

    /**
     * This filter with another silent threshold.
     *
     * @param seconds the silent threshold
     * @return a new filter
     */
    public RunFilter withSilentForSeconds(int seconds) {
        return new RunFilter(service, status, concurrencyKey, tag, parentRunId, limit, cursor,
                health, stuckAfterSeconds, seconds, createdAfter, createdBefore);
    }

    /**
     * Only runs created strictly after {@code after} (null: no bound).
     *
     * @param after the bound, exclusive
     * @return a new filter
     */
    public RunFilter withCreatedAfter(Instant after) {
        return new RunFilter(service, status, concurrencyKey, tag, parentRunId, limit, cursor,
                health, stuckAfterSeconds, silentForSeconds, after, createdBefore);
    }

    /**
     * Only runs created strictly before {@code before} (null: no bound).
     *
     * @param before the bound, exclusive
     * @return a new filter
     */
    public RunFilter withCreatedBefore(Instant before) {
        return new RunFilter(service, status, concurrencyKey, tag, parentRunId, limit, cursor,
                health, stuckAfterSeconds, silentForSeconds, createdAfter, before);
    }
}

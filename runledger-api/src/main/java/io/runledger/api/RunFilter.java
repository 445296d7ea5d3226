package io.runledger.api;

/**
 * Filters and page position for listing runs, newest first. Null fields do not filter;
 * {@code cursor} is the opaque {@code nextCursor} of a previous page. {@code createdAfter} and
 * {@code createdBefore} bound the creation time, both exclusive.
 */
public record RunFilter(
        String service,
        RunStatus status,
        String concurrencyKey,
        String tag,
        String parentRunId,
        int limit,
        String cursor,
        java.time.Instant createdAfter,
        java.time.Instant createdBefore) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    public RunFilter {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
    }

    /** Without creation-time bounds. */
    public RunFilter(String service, RunStatus status, String concurrencyKey, String tag, String parentRunId,
                     int limit, String cursor) {
        this(service, status, concurrencyKey, tag, parentRunId, limit, cursor, null, null);
    }

    public static RunFilter all() {
        return new RunFilter(null, null, null, null, null, DEFAULT_LIMIT, null);
    }

    public RunFilter withLimit(int newLimit) {
        return new RunFilter(service, status, concurrencyKey, tag, parentRunId, newLimit, cursor,
                createdAfter, createdBefore);
    }

    public RunFilter withCursor(String newCursor) {
        return new RunFilter(service, status, concurrencyKey, tag, parentRunId, limit, newCursor,
                createdAfter, createdBefore);
    }

    public RunFilter withService(String newService) {
        return new RunFilter(newService, status, concurrencyKey, tag, parentRunId, limit, cursor,
                createdAfter, createdBefore);
    }

    public RunFilter withStatus(RunStatus newStatus) {
        return new RunFilter(service, newStatus, concurrencyKey, tag, parentRunId, limit, cursor,
                createdAfter, createdBefore);
    }

    public RunFilter withConcurrencyKey(String key) {
        return new RunFilter(service, status, key, tag, parentRunId, limit, cursor,
                createdAfter, createdBefore);
    }

    public RunFilter withTag(String newTag) {
        return new RunFilter(service, status, concurrencyKey, newTag, parentRunId, limit, cursor,
                createdAfter, createdBefore);
    }

    public RunFilter withParentRunId(String id) {
        return new RunFilter(service, status, concurrencyKey, tag, id, limit, cursor,
                createdAfter, createdBefore);
    }

    /** Only runs created strictly after {@code after} (null: no bound). */
    public RunFilter withCreatedAfter(java.time.Instant after) {
        return new RunFilter(service, status, concurrencyKey, tag, parentRunId, limit, cursor, after, createdBefore);
    }

    /** Only runs created strictly before {@code before} (null: no bound). */
    public RunFilter withCreatedBefore(java.time.Instant before) {
        return new RunFilter(service, status, concurrencyKey, tag, parentRunId, limit, cursor, createdAfter, before);
    }
}

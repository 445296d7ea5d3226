package io.runledger.api;

import java.time.Instant;

/**
 * Which runs of a scope a bulk action takes: the filters of {@link Runs#list} (null fields do
 * not filter) and the creation-time bounds {@code createdAfter} and {@code createdBefore},
 * both exclusive.
 */
public record BulkFilter(
        String service,
        RunStatus status,
        String concurrencyKey,
        String tag,
        String parentRunId,
        Instant createdAfter,
        Instant createdBefore) {

    public static BulkFilter all() {
        return new BulkFilter(null, null, null, null, null, null, null);
    }

    public BulkFilter withService(String newService) {
        return new BulkFilter(newService, status, concurrencyKey, tag, parentRunId, createdAfter, createdBefore);
    }

    public BulkFilter withStatus(RunStatus newStatus) {
        return new BulkFilter(service, newStatus, concurrencyKey, tag, parentRunId, createdAfter, createdBefore);
    }

    public BulkFilter withTag(String newTag) {
        return new BulkFilter(service, status, concurrencyKey, newTag, parentRunId, createdAfter, createdBefore);
    }

    public BulkFilter withCreated(Instant after, Instant before) {
        return new BulkFilter(service, status, concurrencyKey, tag, parentRunId, after, before);
    }

    /** The same filters as a listing of runs, for one page of {@code limit} runs. */
    public RunFilter toRunFilter(int limit) {
        return new RunFilter(service, status, concurrencyKey, tag, parentRunId, limit, null, createdAfter,
                createdBefore);
    }
}

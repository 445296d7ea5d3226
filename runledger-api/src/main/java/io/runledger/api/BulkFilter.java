package io.runledger.api;

import java.time.Instant;

/**
 * Which runs of a scope a bulk action takes: the filters of {@link Runs#list} (null fields do
 * not filter), its health filter with its thresholds (null: the default of 300 s), and the
 * creation-time bounds {@code createdAfter} and {@code createdBefore}, both exclusive.
 *
 * @param service only runs of this service
 * @param status only runs in this status
 * @param concurrencyKey only runs with this concurrency key
 * @param tag only runs with this tag
 * @param parentRunId only children of this run
 * @param createdAfter only runs created after this time
 * @param createdBefore only runs created before this time
 * @param health only runs in this condition
 * @param stuckAfterSeconds the stuck threshold in seconds; null: 300
 * @param silentForSeconds the silent threshold in seconds; null: 300
 */
public record BulkFilter(
        String service,
        RunStatus status,
        String concurrencyKey,
        String tag,
        String parentRunId,
        Instant createdAfter,
        Instant createdBefore,
        RunHealth health,
        Integer stuckAfterSeconds,
        Integer silentForSeconds) {

    /**
     * Checks the thresholds.
     *
     * @throws InvalidArgumentException if one is out of range
     */
    public BulkFilter {
        // the same bounds as a listing's thresholds
        requireSeconds("stuckAfterSeconds", stuckAfterSeconds);
        requireSeconds("silentForSeconds", silentForSeconds);
    }

    private static void requireSeconds(String name, Integer seconds) {
        if (seconds != null && (seconds < 1 || seconds > RunFilter.MAX_HEALTH_SECONDS)) {
            throw new InvalidArgumentException(name + " must be between 1 and " + RunFilter.MAX_HEALTH_SECONDS);
        }
    }

    /**
     * Without a health filter.
     *
     * @param service only runs of this service
     * @param status only runs in this status
     * @param concurrencyKey only runs with this concurrency key
     * @param tag only runs with this tag
     * @param parentRunId only children of this run
     * @param createdAfter only runs created after this time
     * @param createdBefore only runs created before this time
     */
    public BulkFilter(String service, RunStatus status, String concurrencyKey, String tag, String parentRunId,
                      Instant createdAfter, Instant createdBefore) {
        this(service, status, concurrencyKey, tag, parentRunId, createdAfter, createdBefore, null, null, null);
    }

    /** {@return a filter of every run of the scope} */
    public static BulkFilter all() {
        return new BulkFilter(null, null, null, null, null, null, null);
    }

    /**
     * This filter with another service.
     *
     * @param newService the service, or null for any
     * @return a new filter
     */
    public BulkFilter withService(String newService) {
        return new BulkFilter(newService, status, concurrencyKey, tag, parentRunId, createdAfter, createdBefore,
                health, stuckAfterSeconds, silentForSeconds);
    }

    /**
     * This filter with another status.
     *
     * @param newStatus the status, or null for any
     * @return a new filter
     */
    public BulkFilter withStatus(RunStatus newStatus) {
        return new BulkFilter(service, newStatus, concurrencyKey, tag, parentRunId, createdAfter, createdBefore,
                health, stuckAfterSeconds, silentForSeconds);
    }

    /**
     * This filter with another tag.
     *
     * @param newTag the tag, or null for any
     * @return a new filter
     */
    public BulkFilter withTag(String newTag) {
        return new BulkFilter(service, status, concurrencyKey, newTag, parentRunId, createdAfter, createdBefore,
                health, stuckAfterSeconds, silentForSeconds);
    }

    /**
     * This filter with other creation-time bounds.
     *
     * @param after runs created after this time, or null
     * @param before runs created before this time, or null
     * @return a new filter
     */
    public BulkFilter withCreated(Instant after, Instant before) {
        return new BulkFilter(service, status, concurrencyKey, tag, parentRunId, after, before,
                health, stuckAfterSeconds, silentForSeconds);
    }

    /**
     * Only the runs in this condition; null thresholds take the default.
     *
     * @param newHealth the condition, or null for any
     * @param stuckAfter the stuck threshold in seconds, or null
     * @param silentFor the silent threshold in seconds, or null
     * @return a new filter
     */
    public BulkFilter withHealth(RunHealth newHealth, Integer stuckAfter, Integer silentFor) {
        return new BulkFilter(service, status, concurrencyKey, tag, parentRunId, createdAfter, createdBefore,
                newHealth, stuckAfter, silentFor);
    }

    /**
     * The same filters as a listing of runs, for one page of {@code limit} runs.
     *
     * @param limit the page size
     * @return the listing filter
     */
    public RunFilter toRunFilter(int limit) {
        return new RunFilter(service, status, concurrencyKey, tag, parentRunId, limit, null, health,
                stuckAfterSeconds == null ? RunFilter.DEFAULT_HEALTH_SECONDS : stuckAfterSeconds,
                silentForSeconds == null ? RunFilter.DEFAULT_HEALTH_SECONDS : silentForSeconds,
                createdAfter, createdBefore);
    }
}

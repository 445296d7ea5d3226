package io.runledger.api;

import java.time.Instant;

/**
 * Which runs of a scope a bulk action takes: the filters of {@link Runs#list} (null fields do
 * not filter), its health filter with its thresholds (null: the default of 300 s), and the
 * creation-time bounds {@code createdAfter} and {@code createdBefore}, both exclusive.
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

    /** Without a health filter. */
    public BulkFilter(String service, RunStatus status, String concurrencyKey, String tag, String parentRunId,
                      Instant createdAfter, Instant createdBefore) {
        this(service, status, concurrencyKey, tag, parentRunId, createdAfter, createdBefore, null, null, null);
    }

    public static BulkFilter all() {
        return new BulkFilter(null, null, null, null, null, null, null);
    }

    public BulkFilter withService(String newService) {
        return new BulkFilter(newService, status, concurrencyKey, tag, parentRunId, createdAfter, createdBefore,
                health, stuckAfterSeconds, silentForSeconds);
    }

    public BulkFilter withStatus(RunStatus newStatus) {
        return new BulkFilter(service, newStatus, concurrencyKey, tag, parentRunId, createdAfter, createdBefore,
                health, stuckAfterSeconds, silentForSeconds);
    }

    public BulkFilter withTag(String newTag) {
        return new BulkFilter(service, status, concurrencyKey, newTag, parentRunId, createdAfter, createdBefore,
                health, stuckAfterSeconds, silentForSeconds);
    }

    public BulkFilter withCreated(Instant after, Instant before) {
        return new BulkFilter(service, status, concurrencyKey, tag, parentRunId, after, before,
                health, stuckAfterSeconds, silentForSeconds);
    }

    /** Only the runs in this condition; null thresholds take the default. */
    public BulkFilter withHealth(RunHealth newHealth, Integer stuckAfter, Integer silentFor) {
        return new BulkFilter(service, status, concurrencyKey, tag, parentRunId, createdAfter, createdBefore,
                newHealth, stuckAfter, silentFor);
    }

    /** The same filters as a listing of runs, for one page of {@code limit} runs. */
    public RunFilter toRunFilter(int limit) {
        return new RunFilter(service, status, concurrencyKey, tag, parentRunId, limit, null, health,
                stuckAfterSeconds == null ? RunFilter.DEFAULT_HEALTH_SECONDS : stuckAfterSeconds,
                silentForSeconds == null ? RunFilter.DEFAULT_HEALTH_SECONDS : silentForSeconds,
                createdAfter, createdBefore);
    }
}

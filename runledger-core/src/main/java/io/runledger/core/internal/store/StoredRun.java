package io.runledger.core.internal.store;

import io.runledger.api.Run;
import io.runledger.api.RunStatus;

/** A run with the columns the engine needs but the API does not show. */
public record StoredRun(Run run, String leaseToken, boolean holdsKey, int leaseTtlSeconds, String stopReason) {

    /** Queued and free to lease: accepted, and holding its concurrency key if it has one. */
    public boolean leasable() {
        return run.status() == RunStatus.ACCEPTED && (run.concurrencyKey() == null || holdsKey);
    }
}

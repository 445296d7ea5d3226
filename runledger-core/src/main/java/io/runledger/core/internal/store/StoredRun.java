package io.runledger.core.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.Run;
import io.runledger.api.RunStatus;

/**
 * A run with the columns the engine needs but the API does not show: its retry policy (null:
 * the default) and how many steps and resumes it recorded ({@code memos}).
 */
public record StoredRun(Run run, String leaseToken, boolean holdsKey, int leaseTtlSeconds, String stopReason,
                        JsonNode retry, int memos) {

    /** Queued and free to lease: accepted, and holding its concurrency key if it has one. */
    public boolean leasable() {
        return run.status() == RunStatus.ACCEPTED && (run.concurrencyKey() == null || holdsKey);
    }
}

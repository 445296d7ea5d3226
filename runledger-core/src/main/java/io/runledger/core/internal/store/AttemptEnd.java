package io.runledger.core.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.RunStatus;

/**
 * Parameters of {@link RunStore#runsAttemptEnd}: the decided outcome of one run's attempt
 * that ended without success. {@code finished} sets {@code finished_at}; {@code releaseKey}
 * gives up the run's concurrency key; {@code runAt} is when a retry after a backoff delay comes due.
 */
public record AttemptEnd(String scope, String runId, RunStatus status, int attempt, JsonNode error,
                         boolean finished, boolean releaseKey, java.time.Instant runAt) {
}

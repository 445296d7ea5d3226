package io.runledger.api;

import java.util.Objects;

/**
 * What a batched complete or fail answers for an item that was accepted: the run's new
 * status and its attempt number from now on (a retried run's next attempt). Smaller than
 * the whole {@link Run}, which {@link Runs#get} returns when needed.
 *
 * @param runId the run
 * @param status its status after the call
 * @param attempt its attempt number from now on
 */
public record Settlement(String runId, RunStatus status, int attempt) {
    /** Requires a run and a status. */
    public Settlement {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(status, "status");
    }

    /**
     * The settlement a run's current state shows.
     *
     * @param run the run
     * @return its id, status and attempt
     */
    public static Settlement of(Run run) {
        return new Settlement(run.runId(), run.status(), run.attempt());
    }
}

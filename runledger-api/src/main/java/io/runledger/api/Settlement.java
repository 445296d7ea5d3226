package io.runledger.api;

import java.util.Objects;

/**
 * What a batched complete or fail answers for an item that was accepted: the run's new
 * status and its attempt number from now on (a retried run's next attempt). Smaller than
 * the whole {@link Run}, which {@link Runs#get} returns when needed.
 */
public record Settlement(String runId, RunStatus status, int attempt) {
    public Settlement {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(status, "status");
    }

    public static Settlement of(Run run) {
        return new Settlement(run.runId(), run.status(), run.attempt());
    }
}

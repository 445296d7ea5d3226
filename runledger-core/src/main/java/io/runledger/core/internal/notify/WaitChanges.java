package io.runledger.core.internal.notify;

/**
 * Told when a NOTIFY says a waitpoint a run waits on finished (payload {@code r|scope|runId}),
 * so that the run is resumed at once rather than at the next maintenance pass.
 */
public interface WaitChanges {
    WaitChanges NONE = (scope, runId) -> { };

    void waitpointsDone(String scope, String runId);
}

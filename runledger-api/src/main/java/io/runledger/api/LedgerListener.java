package io.runledger.api;


/**
 * Told about what the engine committed, after the commit (for metrics). Called on the
 * committing thread: implementations must be fast and must not throw.
 */
public interface LedgerListener {
    LedgerListener NONE = new LedgerListener() { };

    default void runsTriggered(String scope, String service, int count) {
    }

    default void runStarted(String scope, String service) {
    }

    default void runSettled(String scope, String service, RunStatus status) {
    }

    /** Runs triggered by schedules firing. */
    default void schedulesFired(String scope, String service, int count) {
    }

    default void leasesExpired(SweepResult result) {
    }

    default void webhookDeliveries(DispatchResult result) {
    }

    /** What one retention transaction deleted, after it committed. */
    default void retentionDeleted(RetentionResult result) {
    }
}

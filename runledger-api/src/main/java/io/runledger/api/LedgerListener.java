package io.runledger.api;


/**
 * Told about what the engine committed, after the commit (for metrics). Called on the
 * committing thread: implementations must be fast and must not throw.
 */
public interface LedgerListener {
    /** A listener that does nothing. */
    LedgerListener NONE = new LedgerListener() { };

    /**
     * Runs were registered by triggers, batches or replays.
     *
     * @param scope the scope
     * @param service the service
     * @param count how many
     */
    default void runsTriggered(String scope, String service, int count) {
    }

    /**
     * A worker leased a run: an attempt started.
     *
     * @param scope the scope
     * @param service the service
     */
    default void runStarted(String scope, String service) {
    }

    /**
     * A run reached a terminal status.
     *
     * @param scope the scope
     * @param service the service
     * @param status the terminal status
     */
    default void runSettled(String scope, String service, RunStatus status) {
    }

    /**
     * Runs triggered by schedules firing.
     *
     * @param scope the scope
     * @param service the service of the runs
     * @param count how many runs
     */
    default void schedulesFired(String scope, String service, int count) {
    }

    /**
     * A sweep recovered, failed or cancelled runs whose lease expired.
     *
     * @param result what the sweep did
     */
    default void leasesExpired(SweepResult result) {
    }

    /**
     * Webhook delivery attempts ended.
     *
     * @param result their outcomes
     */
    default void webhookDeliveries(DispatchResult result) {
    }

    /**
     * What one retention transaction deleted, after it committed.
     *
     * @param result what it deleted
     */
    default void retentionDeleted(RetentionResult result) {
    }
}

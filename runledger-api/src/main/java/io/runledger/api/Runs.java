package io.runledger.api;

import java.time.Duration;

/**
 * The caller's side of RunLedger: trigger, read, wait on, follow and cancel runs.
 * Implemented by the embedded engine and by the HTTP client alike.
 */
public interface Runs {

    /** Registers a run durably, then returns its receipt. */
    Receipt trigger(String scope, String service, TriggerRequest request);

    /**
     * Would this trigger be accepted now, and if not, every reason why (with the codes the
     * trigger would fail with). Runs the trigger's own checks and writes nothing.
     */
    ValidationReport validate(String scope, String service, TriggerRequest request);

    /**
     * Registers a run exactly as {@link #trigger} does and follows its events from the first
     * ({@code run.accepted}, whose {@code runId} names the run). Closing the feed never
     * cancels the run.
     */
    EventFeed triggerAndFollow(String scope, String service, TriggerRequest request);

    Run get(String scope, String runId);

    Page<Run> list(String scope, RunFilter filter);

    /** Events with seq greater than {@code after}, at most {@code limit} (1..1000). */
    EventPage events(String scope, String runId, long after, int limit);

    /**
     * A live feed of the run's events with seq greater than {@code after}: each
     * {@link EventFeed#next} returns what was appended since, waiting for it if need be.
     */
    EventFeed follow(String scope, String runId, long after);

    /** Waits until the run is terminal or {@code timeout} passes; returns its state then. */
    Run await(String scope, String runId, Duration timeout);

    /** Requests a stop. A queued run is cancelled at once; a running one is asked to stop. */
    CancelResult cancel(String scope, String runId, String reason);

    /** Rebuilds the run's projection from its ledger and repairs the row if they differ. */
    RebuildResult rebuildProjection(String scope, String runId);
}

package io.runledger.api;

import java.time.Duration;

/**
 * The caller's side of RunLedger: trigger, read, wait on and cancel runs. Implemented by
 * the embedded engine and by the HTTP client alike.
 */
public interface Runs {

    /** Registers a run durably, then returns its receipt. */
    Receipt trigger(String scope, String service, TriggerRequest request);

    Run get(String scope, String runId);

    Page<Run> list(String scope, RunFilter filter);

    /** Events with seq greater than {@code after}, at most {@code limit} (1..1000). */
    EventPage events(String scope, String runId, long after, int limit);

    /** Waits until the run is terminal or {@code timeout} passes; returns its state then. */
    Run await(String scope, String runId, Duration timeout);

    /** Requests a stop. A queued run is cancelled at once; a running one is asked to stop. */
    CancelResult cancel(String scope, String runId, String reason);
}

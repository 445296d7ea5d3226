package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
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

    /**
     * Requests a stop. A queued or waiting run is cancelled at once; a running one is asked to
     * stop. Its non-terminal descendants (children, recursively) are stopped too.
     */
    default CancelResult cancel(String scope, String runId, String reason) {
        return cancel(scope, runId, reason, true);
    }

    /** {@link #cancel(String, String, String)}, stopping the run's descendants only if {@code cascade}. */
    CancelResult cancel(String scope, String runId, String reason, boolean cascade);

    /**
     * Stops the run that the idempotency key {@code idempotencyKey} made in this service, as
     * {@link #cancel(String, String, String)} does; if no run has the key yet, records the
     * stop on the key (for the idempotency TTL) so that the trigger that later comes with it
     * registers its run directly {@code cancelled} ({@code run.accepted}, {@code run.cancelled}).
     * A stop and a trigger racing on the key end the same way in either order.
     */
    KeyCancelResult cancelByKey(String scope, String service, String idempotencyKey, String reason);

    /**
     * Triggers a new run of the same service with the original's input (or {@code input} if
     * not null), tags, metadata (or {@code metadata}) and correlation id; it records
     * {@code replayOf}. Works on a run in any status.
     */
    Receipt replay(String scope, String runId, JsonNode input, JsonNode metadata);

    /** The run's recorded steps in the order they were recorded, after seq {@code after} (a page of 1..200). */
    Page<StepRecord> steps(String scope, String runId, long after, int limit);

    /** Rebuilds the run's projection from its ledger and repairs the row if they differ. */
    RebuildResult rebuildProjection(String scope, String runId);

    /**
     * A token that may only read this run (get, events, wait, stream) for {@code ttl} (whole
     * seconds, 1 s to {@link RunAccessToken#MAX_TTL}; null for {@link RunAccessToken#DEFAULT_TTL}),
     * e.g. for a browser's {@code EventSource}. Over HTTP it dies with the key that issued it.
     * A run has at most {@link RunAccessToken#MAX_LIVE_PER_RUN} unexpired tokens; one more is
     * refused with {@code too_many_access_tokens} (a {@link ConflictException}).
     */
    RunAccessToken issueAccessToken(String scope, String runId, Duration ttl);
}

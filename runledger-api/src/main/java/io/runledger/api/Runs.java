package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * The caller's side of RunLedger: trigger, read, wait on, follow and cancel runs.
 * Implemented by the embedded engine and by the HTTP client alike.
 */
public interface Runs {

    /**
     * Registers a run durably, then returns its receipt.
     *
     * @param scope the scope
     * @param service the service
     * @param request the input and the trigger's options
     * @return the receipt, after the commit
     * @throws InvalidInputException if the input does not match the service's schema
     * @throws ConcurrencyConflictException if the key is held and {@code onConflict} is reject
     * @throws IdempotencyKeyReusedException if the key was used for a different request
     */
    Receipt trigger(String scope, String service, TriggerRequest request);

    /**
     * Would this trigger be accepted now, and if not, every reason why (with the codes the
     * trigger would fail with). Runs the trigger's own checks and writes nothing.
     *
     * @param scope the scope
     * @param service the service
     * @param request the trigger to check
     * @return whether it would be accepted, and every problem
     */
    ValidationReport validate(String scope, String service, TriggerRequest request);

    /**
     * Registers a run exactly as {@link #trigger} does and follows its events from the first
     * ({@code run.accepted}, whose {@code runId} names the run). Closing the feed never
     * cancels the run.
     *
     * @param scope the scope
     * @param service the service
     * @param request the input and the trigger's options
     * @return the feed of the new run's events; close it when done
     */
    EventFeed triggerAndFollow(String scope, String service, TriggerRequest request);

    /**
     * A run as its ledger says it is now.
     *
     * @param scope the scope
     * @param runId the run
     * @return it
     * @throws NotFoundException if there is no such run in the scope
     */
    Run get(String scope, String runId);

    /**
     * The scope's runs, newest first, as the filter selects.
     *
     * @param scope the scope
     * @param filter which runs and which page
     * @return one page
     */
    Page<Run> list(String scope, RunFilter filter);

    /**
     * Events with seq greater than {@code after}, at most {@code limit} (1..1000).
     *
     * @param scope the scope
     * @param runId the run
     * @param after the last seq already read (0: from the start)
     * @param limit the most events to return
     * @return the events and the seq to read on from
     */
    EventPage events(String scope, String runId, long after, int limit);

    /**
     * A live feed of the run's events with seq greater than {@code after}: each
     * {@link EventFeed#next} returns what was appended since, waiting for it if need be.
     *
     * @param scope the scope
     * @param runId the run
     * @param after the last seq already read (0: from the start)
     * @return the feed; close it when done
     */
    EventFeed follow(String scope, String runId, long after);

    /**
     * Waits until the run is terminal or {@code timeout} passes; returns its state then.
     *
     * @param scope the scope
     * @param runId the run
     * @param timeout how long to wait at most
     * @return the run, terminal unless the timeout passed first
     */
    Run await(String scope, String runId, Duration timeout);

    /**
     * Requests a stop. A queued or waiting run is cancelled at once; a running one is asked to
     * stop. Its non-terminal descendants (children, recursively) are stopped too.
     *
     * @param scope the scope
     * @param runId the run
     * @param reason recorded with the cancel, or null
     * @return the run and whether it is settled now
     */
    default CancelResult cancel(String scope, String runId, String reason) {
        return cancel(scope, runId, reason, true);
    }

    /**
     * {@link #cancel(String, String, String)}, stopping the run's descendants only if {@code cascade}.
     *
     * @param scope the scope
     * @param runId the run
     * @param reason recorded with the cancel, or null
     * @param cascade whether its descendants are stopped too
     * @return the run and whether it is settled now
     */
    CancelResult cancel(String scope, String runId, String reason, boolean cascade);

    /**
     * Stops the run that the idempotency key {@code idempotencyKey} made in this service, as
     * {@link #cancel(String, String, String)} does; if no run has the key yet, records the
     * stop on the key (for the idempotency TTL) so that the trigger that later comes with it
     * registers its run directly {@code cancelled} ({@code run.accepted}, {@code run.cancelled}).
     * A stop and a trigger racing on the key end the same way in either order.
     *
     * @param scope the scope
     * @param service the service the key belongs to
     * @param idempotencyKey the key
     * @param reason recorded with the cancel, or null
     * @return the run stopped, or the stop recorded on the key
     */
    KeyCancelResult cancelByKey(String scope, String service, String idempotencyKey, String reason);

    /**
     * Triggers a new run of the same service with the original's input (or {@code input} if
     * not null), tags, metadata (or {@code metadata}) and correlation id; it records
     * {@code replayOf}. Works on a run in any status.
     *
     * @param scope the scope
     * @param runId the run to replay
     * @param input the new run's input, or null for the original's
     * @param metadata the new run's metadata, or null for the original's
     * @return the new run's receipt
     */
    Receipt replay(String scope, String runId, JsonNode input, JsonNode metadata);

    /**
     * The run's recorded steps in the order they were recorded, after seq {@code after} (a page of 1..200).
     *
     * @param scope the scope
     * @param runId the run
     * @param after the seq to read after (0: from the start)
     * @param limit the most steps to return
     * @return one page
     */
    Page<StepRecord> steps(String scope, String runId, long after, int limit);

    /**
     * Rebuilds the run's projection from its ledger and repairs the row if they differ.
     *
     * @param scope the scope
     * @param runId the run
     * @return the row before and after, and whether it changed
     */
    RebuildResult rebuildProjection(String scope, String runId);

    /**
     * A token that may only read this run (get, events, wait, stream) for {@code ttl} (whole
     * seconds, 1 s to {@link RunAccessToken#MAX_TTL}; null for {@link RunAccessToken#DEFAULT_TTL}),
     * e.g. for a browser's {@code EventSource}. Over HTTP it dies with the key that issued it.
     * A run has at most {@link RunAccessToken#MAX_LIVE_PER_RUN} unexpired tokens; one more is
     * refused with {@code too_many_access_tokens} (a {@link ConflictException}).
     *
     * @param scope the scope
     * @param runId the run the token may read
     * @param ttl how long the token is valid, or null for the default
     * @return the token and its expiry
     */
    RunAccessToken issueAccessToken(String scope, String runId, Duration ttl);
}

package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The worker's side of RunLedger. Every call after {@link #lease} is fenced by the lease
 * token: only the current attempt's token may heartbeat, append, complete or fail.
 */
public interface Workers {

    /** The most items one batched call ({@link #completeAll}, {@link #failAll}, {@link #heartbeatAll}) takes. */
    int MAX_ITEMS = 1000;

    List<Lease> lease(String scope, LeaseRequest request);

    Heartbeat heartbeat(String scope, String runId, String leaseToken);

    /** Appends worker events in order; returns their seqs. */
    List<Long> append(String scope, String runId, String leaseToken, List<EventDraft> events);

    Run complete(String scope, String runId, String leaseToken, JsonNode output);

    /**
     * Fails the attempt. A retryable failure with attempts left puts the run back in the
     * queue; a failure after a stop request settles the run {@code cancelled}.
     */
    default Run fail(String scope, String runId, String leaseToken, RunError error, boolean retryable) {
        return fail(scope, runId, leaseToken, error, retryable, null);
    }

    /**
     * {@link #fail(String, String, String, RunError, boolean)}, with the delay before the retry
     * given ({@code retryAfterSeconds} &gt;= 0, overriding the retry policy's once; null: the policy's).
     */
    Run fail(String scope, String runId, String leaseToken, RunError error, boolean retryable,
             Double retryAfterSeconds);

    /**
     * Suspends the run the lease holds at {@code request.step()} until its waitpoints complete.
     * In one transaction the run goes {@code waiting}, the lease token stops being valid and the
     * service's concurrency slot is freed; when every waitpoint completed (or the timeout passed)
     * the run returns to the queue with {@code run.resumed} and is leased again, same attempt.
     * If every waitpoint is complete already nothing is suspended and the results are answered.
     * A repeat of a suspend that took effect answers {@code suspended: true} again.
     */
    SuspendResult suspend(String scope, String runId, SuspendRequest request);

    /**
     * Records a durable step's output once per run: a second record of the same step (on any
     * attempt) returns the first output with {@code replayed} true. Fenced by the lease token.
     */
    StepRecord stepRecord(String scope, String runId, String step, String leaseToken, JsonNode output);

    /**
     * Triggers a child of the run the lease holds, with idempotency key {@code {runId}/{step}},
     * so a re-executed parent never triggers it twice; returns its receipt.
     */
    Receipt triggerChild(String scope, String runId, String leaseToken, String step, String service,
                         TriggerRequest request);

    /**
     * Completes many runs in one transaction. Each item is fenced and answered on its own,
     * in order, as {@link #complete} would answer it: the run's new status, or the failure that
     * call would throw ({@code lease_lost}, {@code run_not_found}, {@code run_already_settled},
     * {@code invalid_argument}...). A refused item never fails the others. The call itself is
     * refused ({@link InvalidArgumentException}) if it holds no item, more than
     * {@link #MAX_ITEMS}, a null item, or the same run twice.
     */
    List<ItemOutcome<Settlement>> completeAll(String scope, List<Completion> items);

    /** Fails many attempts in one transaction; each item answered as {@link #fail} would (see {@link #completeAll}). */
    List<ItemOutcome<Settlement>> failAll(String scope, List<Failure> items);

    /** Heartbeats many leases in one transaction; each item answered as {@link #heartbeat} would (see {@link #completeAll}). */
    List<ItemOutcome<Heartbeat>> heartbeatAll(String scope, List<LeaseRef> items);

    List<WorkerInfo> list(String scope);

    /**
     * Acknowledges a message (a signal) that a heartbeat delivered and the handler has
     * dealt with; fenced by the lease token. Its status moves from delivered to acked.
     */
    RunMessage messageAck(String scope, String runId, String messageId, String leaseToken);
}

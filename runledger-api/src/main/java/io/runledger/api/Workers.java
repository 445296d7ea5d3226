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

    /**
     * Leases up to {@code request.max()} queued runs of the requested services, oldest of the highest
     * priority first, waiting up to {@code request.waitFor()} when none is queued. Each leased run
     * gets a {@code run.started} event; a run resumed after a wait keeps its attempt number.
     *
     * @param scope the scope
     * @param request who leases, which services, how many and how long to wait
     * @return the leases, possibly none
     */
    List<Lease> lease(String scope, LeaseRequest request);

    /**
     * Extends the lease by the service's lease TTL and hands over the run's pending messages.
     *
     * @param scope the scope
     * @param runId the run
     * @param leaseToken the token of the lease held on it
     * @return the new expiry, whether a stop was requested, and the messages
     * @throws LeaseLostException if the token is not the run's current lease
     */
    Heartbeat heartbeat(String scope, String runId, String leaseToken);

    /**
     * Appends worker events in order; returns their seqs.
     *
     * @param scope the scope
     * @param runId the run
     * @param leaseToken the token of the lease held on it
     * @param events the events, each a worker type or {@code custom.*}
     * @return the seq of each event, in order
     * @throws LeaseLostException if the token is not the run's current lease
     */
    List<Long> append(String scope, String runId, String leaseToken, List<EventDraft> events);

    /**
     * Completes the attempt: the run succeeds with {@code output}. Repeating the same completion answers the
     * run as it settled.
     *
     * @param scope the scope
     * @param runId the run
     * @param leaseToken the token of the lease held on it
     * @param output its output; null stores JSON {@code null}
     * @return the run, settled
     * @throws LeaseLostException if the token is not the run's current lease
     * @throws RunAlreadySettledException if the run settled otherwise
     */
    Run complete(String scope, String runId, String leaseToken, JsonNode output);

    /**
     * Fails the attempt. A retryable failure with attempts left puts the run back in the
     * queue; a failure after a stop request settles the run {@code cancelled}.
     *
     * @param scope the scope
     * @param runId the run
     * @param leaseToken the token of the lease held on it
     * @param error what went wrong, with its code
     * @param retryable false fails the run at once; true retries it while attempts remain
     * @return the run after the failure: queued for its next attempt, or settled
     */
    default Run fail(String scope, String runId, String leaseToken, RunError error, boolean retryable) {
        return fail(scope, runId, leaseToken, error, retryable, null);
    }

    /**
     * {@link #fail(String, String, String, RunError, boolean)}, with the delay before the retry
     * given ({@code retryAfterSeconds} &gt;= 0, overriding the retry policy's once; null: the policy's).
     *
     * @param scope the scope
     * @param runId the run
     * @param leaseToken the token of the lease held on it
     * @param error what went wrong, with its code
     * @param retryable false fails the run at once; true retries it while attempts remain
     * @param retryAfterSeconds seconds until the retry, or null
     * @return the run after the failure: queued for its next attempt, or settled
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
     *
     * @param scope the scope
     * @param runId the run
     * @param request the lease token, the step, the waitpoints and the timeout
     * @return whether it suspended, or the results when it did not need to
     */
    SuspendResult suspend(String scope, String runId, SuspendRequest request);

    /**
     * Records a durable step's output once per run: a second record of the same step (on any
     * attempt) returns the first output with {@code replayed} true. Fenced by the lease token.
     *
     * @param scope the scope
     * @param runId the run
     * @param step the step's name (see {@link StepRecord#NAME})
     * @param leaseToken the token of the lease held on the run
     * @param output what the step returned
     * @return the recorded step: this output, or the one recorded first
     */
    StepRecord stepRecord(String scope, String runId, String step, String leaseToken, JsonNode output);

    /**
     * Triggers a child of the run the lease holds, with idempotency key {@code {runId}/{step}},
     * so a re-executed parent never triggers it twice; returns its receipt.
     *
     * @param scope the scope
     * @param runId the parent run
     * @param leaseToken the token of the lease held on it
     * @param step the step that triggers the child; part of its idempotency key
     * @param service the child's service
     * @param request the child's trigger; its parent and idempotency key are set here
     * @return the child's receipt (a replayed one on a re-executed parent)
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
     *
     * @param scope the scope
     * @param items the completions, 1..{@value #MAX_ITEMS}
     * @return one outcome per item, in order
     */
    List<ItemOutcome<Settlement>> completeAll(String scope, List<Completion> items);

    /**
     * Fails many attempts in one transaction; each item answered as {@link #fail} would (see {@link
     * #completeAll}).
     *
     * @param scope the scope
     * @param items the failures, 1..{@value #MAX_ITEMS}
     * @return one outcome per item, in order
     */
    List<ItemOutcome<Settlement>> failAll(String scope, List<Failure> items);

    /**
     * Heartbeats many leases in one transaction; each item answered as {@link #heartbeat} would (see {@link
     * #completeAll}).
     *
     * @param scope the scope
     * @param items the leases, 1..{@value #MAX_ITEMS}
     * @return one outcome per item, in order
     */
    List<ItemOutcome<Heartbeat>> heartbeatAll(String scope, List<LeaseRef> items);

    /**
     * The workers seen in the scope, most recently seen first.
     *
     * @param scope the scope
     * @return the workers
     */
    List<WorkerInfo> list(String scope);

    /**
     * Acknowledges a message (a signal) that a heartbeat delivered and the handler has
     * dealt with; fenced by the lease token. Its status moves from delivered to acked.
     *
     * @param scope the scope
     * @param runId the run
     * @param messageId the message
     * @param leaseToken the token of the lease held on the run
     * @return the message, acked
     */
    RunMessage messageAck(String scope, String runId, String messageId, String leaseToken);
}

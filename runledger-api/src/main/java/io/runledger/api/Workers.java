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
    Run fail(String scope, String runId, String leaseToken, RunError error, boolean retryable);

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

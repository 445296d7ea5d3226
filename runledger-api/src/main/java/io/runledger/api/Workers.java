package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The worker's side of RunLedger. Every call after {@link #lease} is fenced by the lease
 * token: only the current attempt's token may heartbeat, append, complete or fail.
 */
public interface Workers {

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

    List<WorkerInfo> list(String scope);

    /**
     * Acknowledges a message (a signal) that a heartbeat delivered and the handler has
     * dealt with; fenced by the lease token. Its status moves from delivered to acked.
     */
    RunMessage messageAck(String scope, String runId, String messageId, String leaseToken);
}

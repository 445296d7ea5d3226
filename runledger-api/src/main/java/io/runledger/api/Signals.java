package io.runledger.api;

import java.util.List;

/**
 * Signals to a run: each is a {@code run.signal} event in its ledger and an outbound message
 * its worker receives on the next heartbeat and acknowledges with
 * {@link Workers#messageAck}.
 */
public interface Signals {

    /**
     * Sends a signal to a run that is not settled; returns the pending message.
     *
     * @param scope the scope
     * @param runId the run
     * @param signal what to send
     * @return the message, {@code pending} until a heartbeat delivers it
     * @throws RunAlreadySettledException if the run is terminal
     */
    RunMessage send(String scope, String runId, Signal signal);

    /**
     * The run's outbound messages, oldest first, with their delivery status.
     *
     * @param scope the scope
     * @param runId the run
     * @return its messages
     */
    List<RunMessage> messages(String scope, String runId);
}

package io.runledger.api;

import java.util.Map;

/** A terminal write that differs from the outcome the run already settled with. */
public final class RunAlreadySettledException extends RunLedgerException {
    /** The status the run settled with. */
    private final RunStatus status;

    /**
     * A terminal write refused because the run settled otherwise.
     *
     * @param runId the run
     * @param status the status it settled with
     */
    public RunAlreadySettledException(String runId, RunStatus status) {
        super("run_already_settled", "run '" + runId + "' already settled as " + status.wireName());
        this.status = status;
    }

    /** {@return the status the run settled with} */
    public RunStatus status() {
        return status;
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("runStatus", status.wireName());
    }
}

package io.runledger.api;

import java.util.Map;

/** A terminal write that differs from the outcome the run already settled with. */
public final class RunAlreadySettledException extends RunLedgerException {
    private final RunStatus status;

    public RunAlreadySettledException(String runId, RunStatus status) {
        super("run_already_settled", "run '" + runId + "' already settled as " + status.wireName());
        this.status = status;
    }

    public RunStatus status() {
        return status;
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("runStatus", status.wireName());
    }
}

package io.runledger.api;

import java.util.Map;

/** A status change that the transition table does not allow. */
public final class IllegalTransitionException extends RunLedgerException {
    /** The status the run is in. */
    private final RunStatus from;
    /** The status the change asked for. */
    private final RunStatus to;

    /**
     * A status change the table refuses.
     *
     * @param runId the run
     * @param from its status
     * @param to the status asked for
     */
    public IllegalTransitionException(String runId, RunStatus from, RunStatus to) {
        super("illegal_transition",
                "run '" + runId + "' cannot move from " + from.wireName() + " to " + to.wireName());
        this.from = from;
        this.to = to;
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("from", from.wireName(), "to", to.wireName());
    }
}

package io.runledger.api;

/** The lease token is not (or no longer) the run's current one: another attempt owns the run. */
public final class LeaseLostException extends RunLedgerException {
    /**
     * A report under a lease that is not the run's current one.
     *
     * @param runId the run
     */
    public LeaseLostException(String runId) {
        super("lease_lost", "the lease token is not the current lease of run '" + runId + "'");
    }
}

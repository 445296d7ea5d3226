package io.runledger.api;

/**
 * The outcome of rebuilding a run's projection from its ledger.
 *
 * @param changed whether the row differed from the fold of the ledger (and was repaired)
 * @param before the run as the row was
 * @param after the run as the ledger says it is
 */
public record RebuildResult(boolean changed, Run before, Run after) {
}

package io.runledger.api;

/** The outcome of rebuilding a run's projection from its ledger. */
public record RebuildResult(boolean changed, Run before, Run after) {
}

package io.runledger.server.wire;

/** A projection rebuilt from its ledger; {@code changed} when it differed and was repaired. */
public record RebuildView(
        boolean changed,
        RunView before,
        RunView after) {
}

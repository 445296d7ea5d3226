package io.runledger.server.wire;

import io.runledger.api.BulkActionKind;

/** A bulk action's dry run: how many runs it would match now; nothing written. */
public record BulkDryRunView(
        boolean dryRun,
        BulkActionKind action,
        long matched) {
}

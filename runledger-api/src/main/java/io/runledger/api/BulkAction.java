package io.runledger.api;

import java.time.Instant;

/**
 * A bulk action and its progress. {@code matched} runs matched its filter when it was created;
 * each processed one counts once in {@code processed} (the action was applied), {@code skipped}
 * (nothing to do, e.g. cancelling a run already terminal) or {@code failed} (e.g. replaying a
 * run whose service was deleted). {@code finishedAt} is set once it completed or was cancelled.
 */
public record BulkAction(
        String bulkActionId,
        String scope,
        BulkActionKind action,
        BulkFilter filter,
        String reason,
        BulkActionStatus status,
        long matched,
        long processed,
        long skipped,
        long failed,
        Instant createdAt,
        Instant updatedAt,
        Instant finishedAt) {

    /** Runs already taken: processed, skipped or failed. */
    public long done() {
        return processed + skipped + failed;
    }
}

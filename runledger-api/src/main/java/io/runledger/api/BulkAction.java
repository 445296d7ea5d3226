package io.runledger.api;

import java.time.Instant;

/**
 * A bulk action and its progress. {@code matched} runs matched its filter when it was created;
 * each processed one counts once in {@code processed} (the action was applied), {@code skipped}
 * (nothing to do, e.g. cancelling a run already terminal) or {@code failed} (e.g. replaying a
 * run whose service was deleted). {@code finishedAt} is set once it completed or was cancelled.
 *
 * @param bulkActionId its id
 * @param scope the scope
 * @param action what it does to each run
 * @param filter which runs it took
 * @param reason recorded with each cancel, or null
 * @param status running, completed or cancelled
 * @param matched how many runs matched at creation
 * @param processed runs the action was applied to
 * @param skipped runs that needed nothing
 * @param failed runs it could not be applied to
 * @param createdAt when it was created
 * @param updatedAt when it last made progress
 * @param finishedAt when it completed or was cancelled; null while running
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

    /**
     * Runs already taken: processed, skipped or failed.
     *
     * @return {@code processed + skipped + failed}
     */
    public long done() {
        return processed + skipped + failed;
    }
}

package io.runledger.server.wire;

import io.runledger.api.BulkActionKind;
import io.runledger.api.BulkActionStatus;
import java.time.Instant;

/** A bulk action and its progress. */
public record BulkActionView(
        String bulkActionId,
        String scope,
        BulkActionKind action,
        BulkFilterView filter,
        @Nullable String reason,
        BulkActionStatus status,
        long matched,
        long processed,
        long skipped,
        long failed,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant finishedAt) {
}

package io.runledger.api;

import java.util.Objects;

/**
 * A bulk action to create: what to do, to which runs, and why ({@code reason} may be null). A
 * create repeated with the same {@code idempotencyKey} (may be null) answers the first action.
 */
public record BulkActionRequest(BulkActionKind action, BulkFilter filter, String reason, String idempotencyKey) {
    public BulkActionRequest {
        Objects.requireNonNull(action, "action");
        filter = filter == null ? BulkFilter.all() : filter;
    }

    public BulkActionRequest(BulkActionKind action, BulkFilter filter, String reason) {
        this(action, filter, reason, null);
    }

    public BulkActionRequest withIdempotencyKey(String key) {
        return new BulkActionRequest(action, filter, reason, key);
    }

    public static BulkActionRequest cancel(BulkFilter filter, String reason) {
        return new BulkActionRequest(BulkActionKind.CANCEL, filter, reason);
    }

    public static BulkActionRequest replay(BulkFilter filter) {
        return new BulkActionRequest(BulkActionKind.REPLAY, filter, null);
    }
}

package io.runledger.api;

import java.util.Objects;

/** A bulk action to create: what to do, to which runs, and why ({@code reason} may be null). */
public record BulkActionRequest(BulkActionKind action, BulkFilter filter, String reason) {
    public BulkActionRequest {
        Objects.requireNonNull(action, "action");
        filter = filter == null ? BulkFilter.all() : filter;
    }

    public static BulkActionRequest cancel(BulkFilter filter, String reason) {
        return new BulkActionRequest(BulkActionKind.CANCEL, filter, reason);
    }

    public static BulkActionRequest replay(BulkFilter filter) {
        return new BulkActionRequest(BulkActionKind.REPLAY, filter, null);
    }
}

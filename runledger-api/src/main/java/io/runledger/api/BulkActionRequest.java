package io.runledger.api;

import java.util.Objects;

/**
 * A bulk action to create: what to do, to which runs, and why ({@code reason} may be null). A
 * create repeated with the same {@code idempotencyKey} (may be null) answers the first action.
 *
 * @param action what to do to each matched run
 * @param filter which runs; null matches every run of the scope
 * @param reason recorded with each cancel, or null
 * @param idempotencyKey makes a repeated create answer the first action; may be null
 */
public record BulkActionRequest(BulkActionKind action, BulkFilter filter, String reason, String idempotencyKey) {
    /** Requires an action; a null filter becomes {@link BulkFilter#all()}. */
    public BulkActionRequest {
        Objects.requireNonNull(action, "action");
        filter = filter == null ? BulkFilter.all() : filter;
    }

    /**
     * A request without an idempotency key.
     *
     * @param action what to do to each matched run
     * @param filter which runs; null matches every run of the scope
     * @param reason recorded with each cancel, or null
     */
    public BulkActionRequest(BulkActionKind action, BulkFilter filter, String reason) {
        this(action, filter, reason, null);
    }

    /**
     * This request with an idempotency key.
     *
     * @param key the key, or null for none
     * @return a new request
     */
    public BulkActionRequest withIdempotencyKey(String key) {
        return new BulkActionRequest(action, filter, reason, key);
    }

    /**
     * A cancel of the runs {@code filter} matches.
     *
     * @param filter which runs; null matches every run of the scope
     * @param reason recorded with each cancel, or null
     * @return the request
     */
    public static BulkActionRequest cancel(BulkFilter filter, String reason) {
        return new BulkActionRequest(BulkActionKind.CANCEL, filter, reason);
    }

    /**
     * A replay of the runs {@code filter} matches: each gets a new run with its input.
     *
     * @param filter which runs; null matches every run of the scope
     * @return the request
     */
    public static BulkActionRequest replay(BulkFilter filter) {
        return new BulkActionRequest(BulkActionKind.REPLAY, filter, null);
    }
}

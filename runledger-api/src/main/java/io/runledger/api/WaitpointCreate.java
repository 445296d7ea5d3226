package io.runledger.api;

import java.util.List;

/**
 * A new token waitpoint: pending until completed by a call or its callback URL, or until
 * {@code timeoutSeconds} pass (then {@code timed_out}). With an {@code idempotencyKey} a
 * repeated create returns the first waitpoint (without its callback URL, which only the first
 * answer carries). {@code runId} records the run that creates it, if any.
 *
 * @param timeoutSeconds seconds until a pending token times out; null: it never does
 * @param idempotencyKey makes a repeated create return the first waitpoint; may be null
 * @param tags labels to find it by (never null after construction)
 * @param runId the run that creates it, or null
 */
public record WaitpointCreate(Long timeoutSeconds, String idempotencyKey, List<String> tags, String runId) {

    /**
     * Keeps an unmodifiable copy of {@code tags} (none when null); a null element is left for validation to
     * refuse.
     */
    public WaitpointCreate {
        tags = tags == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(tags));
    }

    /** {@return a token that never times out, without key, tags or run} */
    public static WaitpointCreate token() {
        return new WaitpointCreate(null, null, List.of(), null);
    }
}

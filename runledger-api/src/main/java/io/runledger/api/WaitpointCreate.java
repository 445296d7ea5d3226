package io.runledger.api;

import java.util.List;

/**
 * A new token waitpoint: pending until completed by a call or its callback URL, or until
 * {@code timeoutSeconds} pass (then {@code timed_out}). With an {@code idempotencyKey} a
 * repeated create returns the first waitpoint (without its callback URL, which only the first
 * answer carries). {@code runId} records the run that creates it, if any.
 */
public record WaitpointCreate(Long timeoutSeconds, String idempotencyKey, List<String> tags, String runId) {

    public WaitpointCreate {
        tags = tags == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(tags));
    }

    public static WaitpointCreate token() {
        return new WaitpointCreate(null, null, List.of(), null);
    }
}

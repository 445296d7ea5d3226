package io.runledger.api;

import java.time.Instant;

/**
 * The answer to a stop by idempotency key. When a run has the key, {@code run} is it after
 * the cancel and {@code settled} says what a {@link CancelResult} says. When no run has it
 * yet, {@code run} is null and the stop was recorded on the key at {@code stopRecordedAt}: a
 * later trigger with the key registers its run directly {@code cancelled}.
 */
public record KeyCancelResult(String idempotencyKey, Run run, boolean settled, Instant stopRecordedAt) {

    /** True when no run had the key: the stop waits on the key for the run to come. */
    public boolean recorded() {
        return run == null;
    }
}

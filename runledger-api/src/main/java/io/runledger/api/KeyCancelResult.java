package io.runledger.api;

import java.time.Instant;

/**
 * The answer to a stop by idempotency key. When a run has the key, {@code run} is it after
 * the cancel and {@code settled} says what a {@link CancelResult} says. When no run has it
 * yet, {@code run} is null and the stop was recorded on the key at {@code stopRecordedAt}: a
 * later trigger with the key registers its run directly {@code cancelled}.
 *
 * @param idempotencyKey the key the stop was given for
 * @param run the run with the key, after the cancel; null if none has it yet
 * @param settled whether that run is terminal now (false: a running run was asked to stop)
 * @param stopRecordedAt when the stop was recorded on the key; null when a run had it
 */
public record KeyCancelResult(String idempotencyKey, Run run, boolean settled, Instant stopRecordedAt) {

    /**
     * True when no run had the key: the stop waits on the key for the run to come.
     *
     * @return true if the stop was recorded on the key rather than applied to a run
     */
    public boolean recorded() {
        return run == null;
    }
}

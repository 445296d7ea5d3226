package io.runledger.core.internal.store;

import java.time.Instant;

/**
 * The mapping of an idempotency key: the run it made, its request's hash, and whether it is
 * live. A key that holds only a stop recorded before its run has no run and no hash yet.
 */
public record IdempotencyRow(String requestHash, String runId, boolean live, Instant stopRequestedAt) {

    /** A stop recorded on the key before any run took it. */
    public boolean stopOnly() {
        return runId == null;
    }
}

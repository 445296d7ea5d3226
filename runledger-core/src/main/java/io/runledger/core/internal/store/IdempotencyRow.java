package io.runledger.core.internal.store;

/** The mapping of an idempotency key: the run it made, its request's hash, and whether it is live. */
public record IdempotencyRow(String requestHash, String runId, boolean live) {
}

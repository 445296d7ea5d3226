package io.runledger.core.internal.store;

/** Parameters of {@link IdempotencyStore#idempotencyClaim}. */
public record IdempotencyClaim(String scope, String service, String key, String requestHash, String runId,
                               long ttlSeconds) {
}

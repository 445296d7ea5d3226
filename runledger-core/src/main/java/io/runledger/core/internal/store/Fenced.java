package io.runledger.core.internal.store;

/** A run named with the lease token that fences a write to it. */
public record Fenced(String runId, String token) {
}

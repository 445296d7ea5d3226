package io.runledger.core.internal.store;

/** A concurrency key with waiting runs but no holder. */
public record StrandedKey(String scope, String concurrencyKey) {
}

package io.runledger.api;

import java.time.Instant;

/** A scope key as the admin sees it: never the key, never its hash. */
public record ScopeKey(String scope, String keyId, String name, Instant createdAt, Instant lastUsedAt) {
}

package io.runledger.server.auth;

import java.time.Instant;

/** A scope key as listed to the admin: never the key, never its hash. */
public record ScopeKey(String scope, String keyId, String name, Instant createdAt, Instant lastUsedAt) {
}

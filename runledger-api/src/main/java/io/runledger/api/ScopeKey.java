package io.runledger.api;

import java.time.Instant;

/**
 * A scope key as the admin sees it: never the key, never its hash.
 *
 * @param scope the scope it acts in
 * @param keyId its id, to revoke it by
 * @param name the name given at creation, or null
 * @param createdAt when it was created
 * @param lastUsedAt when it was last used (written at most once a minute), or null if never
 */
public record ScopeKey(String scope, String keyId, String name, Instant createdAt, Instant lastUsedAt) {
}

package io.runledger.server.wire;

import java.time.Instant;

/** A scope key as the admin sees it: never the key, never its hash. */
public record ScopeKeyView(
        String scope,
        String keyId,
        @Nullable String name,
        Instant createdAt,
        @Nullable Instant lastUsedAt) {
}

package io.runledger.server.wire;

import java.time.Instant;

/** A scope key just created: the key is shown this once, only its hash is kept. */
public record NewScopeKeyView(
        String scope,
        String keyId,
        @Nullable String name,
        Instant createdAt,
        @Nullable Instant lastUsedAt,
        String key) {
}

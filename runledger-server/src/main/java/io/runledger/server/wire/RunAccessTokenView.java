package io.runledger.server.wire;

import java.time.Instant;

/** A run access token just issued: shown this once, only its hash is kept. */
public record RunAccessTokenView(String token, Instant expiresAt) {
}

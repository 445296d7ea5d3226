package io.runledger.server.wire;

/** A scope; {@code created} is false when it existed already. */
public record ScopeView(
        String scope,
        boolean created) {
}

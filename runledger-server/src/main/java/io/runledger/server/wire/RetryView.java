package io.runledger.server.wire;

/** A service's retry policy, complete. */
public record RetryView(
        double initialDelaySeconds,
        double maxDelaySeconds,
        double factor,
        double jitter) {
}

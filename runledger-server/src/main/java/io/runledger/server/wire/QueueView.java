package io.runledger.server.wire;

/** A service's queue: queued runs and the oldest one's age. */
public record QueueView(
        String service,
        long depth,
        double oldestAgeSeconds) {
}

package io.runledger.api;

import java.time.Instant;
import java.util.List;

/**
 * The answer to a heartbeat: the extended lease, whether a stop was requested, and the
 * messages (signals) delivered with it, now {@code delivered} until the worker acks them.
 *
 * @param leaseExpiresAt when the extended lease expires (server clock)
 * @param stopRequested true when the run should stop: a cancel was requested
 * @param messages the signals delivered with this heartbeat
 */
public record Heartbeat(Instant leaseExpiresAt, boolean stopRequested, List<RunMessage> messages) {
    /** Keeps an unmodifiable copy of {@code messages} (none when null). */
    public Heartbeat {
        messages = messages == null ? List.of() : List.copyOf(messages);
    }
}

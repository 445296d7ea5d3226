package io.runledger.api;

import java.time.Instant;
import java.util.List;

/**
 * The answer to a heartbeat: the extended lease, whether a stop was requested, and the
 * messages (signals) delivered with it, now {@code delivered} until the worker acks them.
 */
public record Heartbeat(Instant leaseExpiresAt, boolean stopRequested, List<RunMessage> messages) {
    public Heartbeat {
        messages = messages == null ? List.of() : List.copyOf(messages);
    }
}

package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** The answer to a heartbeat: the extended lease, whether a stop was requested, pending messages. */
public record Heartbeat(Instant leaseExpiresAt, boolean stopRequested, List<JsonNode> messages) {
    public Heartbeat {
        messages = messages == null ? List.of() : List.copyOf(messages);
    }
}

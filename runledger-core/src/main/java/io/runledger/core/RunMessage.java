package io.runledger.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.Timestamps;
import io.runledger.core.internal.store.Json;
import java.time.Instant;

/** A signal sent to a run, as an outbound message to its worker: pending, delivered, acked. */
public record RunMessage(String messageId, String runId, long seq, String type, String severity, JsonNode data,
                         String status, Instant createdAt, Instant deliveredAt, Instant ackedAt) {

    /** The wire shape, as heartbeats and {@code GET .../messages} show it. */
    public ObjectNode toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("messageId", messageId);
        n.put("runId", runId);
        n.put("seq", seq);
        n.put("type", type);
        n.put("severity", severity);
        n.set("data", data);
        n.put("status", status);
        n.put("createdAt", Timestamps.format(createdAt));
        n.put("deliveredAt", Timestamps.format(deliveredAt));
        n.put("ackedAt", Timestamps.format(ackedAt));
        return n;
    }
}

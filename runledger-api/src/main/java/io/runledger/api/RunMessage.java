package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A signal sent to a run, as an outbound message to its worker. {@code status} moves from
 * {@code pending} (sent) to {@code delivered} (a heartbeat handed it over) to {@code acked}
 * (the worker dealt with it).
 */
public record RunMessage(String messageId, String runId, long seq, String type, String severity, JsonNode data,
                         String status, Instant createdAt, Instant deliveredAt, Instant ackedAt) {
}

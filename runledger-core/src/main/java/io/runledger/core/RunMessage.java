package io.runledger.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A signal sent to a run, as an outbound message to its worker: pending, delivered, acked. */
public record RunMessage(String messageId, String runId, long seq, String type, String severity, JsonNode data,
                         String status, Instant createdAt, Instant deliveredAt, Instant ackedAt) {
}

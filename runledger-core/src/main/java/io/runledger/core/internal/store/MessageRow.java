package io.runledger.core.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A row of {@code run_messages}: a signal for a run's worker, pending, delivered or acked. */
public record MessageRow(String scope, String messageId, String runId, long seq, String type, String severity,
                         JsonNode data, String status, Instant createdAt, Instant deliveredAt, Instant ackedAt) {
}

package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One delivery to one webhook, with every attempt made (status codes, errors, timing): a run
 * event ({@code runId} and {@code seq} set) or, for an alert webhook, an
 * {@code alert.runs_failed} of one window ({@code runId} null, {@code seq} 0).
 */
public record WebhookDelivery(String deliveryId, String webhookId, String runId, long seq, String eventType,
                              String status, int attempts, Integer lastStatusCode, String lastError,
                              Instant createdAt, Instant nextAttemptAt, Instant deliveredAt, JsonNode attemptLog) {
}

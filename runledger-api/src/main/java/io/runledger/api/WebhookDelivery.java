package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One event's delivery to one webhook, with every attempt made (status codes, errors, timing). */
public record WebhookDelivery(String deliveryId, String webhookId, String runId, long seq, String eventType,
                              String status, int attempts, Integer lastStatusCode, String lastError,
                              Instant createdAt, Instant nextAttemptAt, Instant deliveredAt, JsonNode attemptLog) {
}

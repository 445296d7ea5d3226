package io.runledger.core.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A row of {@code webhook_deliveries} with its attempts ({@code attemptLog}, a JSON array of
 * {@code {attempt, statusCode, error, durationMs, attemptedAt}} in attempt order).
 */
public record DeliveryRow(String scope, String deliveryId, String webhookId, String runId, long seq,
                          String eventType, String status, int attempts, Integer lastStatusCode, String lastError,
                          Instant createdAt, Instant nextAttemptAt, Instant deliveredAt, JsonNode attemptLog) {
}

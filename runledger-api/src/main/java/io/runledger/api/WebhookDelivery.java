package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One delivery to one webhook, with every attempt made (status codes, errors, timing): a run
 * event ({@code runId} and {@code seq} set) or, for an alert webhook, an
 * {@code alert.runs_failed} of one window ({@code runId} null, {@code seq} 0).
 *
 * @param deliveryId its id, also the {@code webhook-id} header
 * @param webhookId the webhook
 * @param runId the run whose event it carries; null for an alert
 * @param seq that event's seq; 0 for an alert
 * @param eventType the event's type, e.g. {@code run.failed}
 * @param status {@code pending}, {@code delivered} or {@code dead}
 * @param attempts attempts made so far
 * @param lastStatusCode the status code of the last attempt, or null if none answered
 * @param lastError why the last attempt failed, or null
 * @param createdAt when the event was written
 * @param nextAttemptAt when the next attempt is due; null when delivered or dead
 * @param deliveredAt when a receiver accepted it, or null
 * @param attemptLog every attempt with its time, status code, error and duration
 */
public record WebhookDelivery(String deliveryId, String webhookId, String runId, long seq, String eventType,
                              String status, int attempts, Integer lastStatusCode, String lastError,
                              Instant createdAt, Instant nextAttemptAt, Instant deliveredAt, JsonNode attemptLog) {
}

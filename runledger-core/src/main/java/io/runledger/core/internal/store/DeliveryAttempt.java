package io.runledger.core.internal.store;

/**
 * Parameters of {@link WebhookStore#deliveryAttemptInsert}: one attempt's outcome, with a
 * null {@code statusCode} if no response came and a null {@code error} if it succeeded.
 */
public record DeliveryAttempt(String scope, String deliveryId, String webhookId, int attempt, Integer statusCode, String error,
                              int durationMs) {
}

package io.runledger.core.internal.store;

/**
 * Parameters of {@link WebhookStore#deliveryRetry}: a failed attempt, due again after
 * {@code backoffSeconds} unless the delivery has used {@code maxAttempts}.
 */
public record DeliveryRetry(String scope, String deliveryId, int maxAttempts, double backoffSeconds,
                            Integer statusCode, String error) {
}

package io.runledger.api;

import java.util.List;

/** Webhook endpoints of a scope: the run events they receive and every delivery attempt. */
public interface Webhooks {

    /**
     * Creates or replaces a webhook. A null secret keeps the existing one (or generates one
     * for a new webhook); the answer carries the secret only when it was created or replaced.
     */
    WebhookInfo put(String scope, String webhookId, WebhookSpec spec);

    WebhookInfo get(String scope, String webhookId);

    List<WebhookInfo> list(String scope);

    void delete(String scope, String webhookId);

    /**
     * The webhook's deliveries, newest first, with their attempts; {@code status} filters
     * ({@code pending}, {@code delivered}, {@code dead}; null for all), {@code limit} 1..200.
     */
    List<WebhookDelivery> deliveries(String scope, String webhookId, String status, int limit);
}

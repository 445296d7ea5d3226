package io.runledger.api;

import java.util.List;

/** Webhook endpoints of a scope: the run events they receive and every delivery attempt. */
public interface Webhooks {

    /**
     * Creates or replaces a webhook. A null secret keeps the existing one (or generates one
     * for a new webhook); the answer carries the secret only when it was created or replaced.
     *
     * @param scope the scope
     * @param webhookId the webhook's id, a name
     * @param spec its URL, events, secret and kind
     * @return the webhook
     */
    WebhookInfo put(String scope, String webhookId, WebhookSpec spec);

    /**
     * A webhook, without its secret.
     *
     * @param scope the scope
     * @param webhookId the webhook
     * @return it
     * @throws NotFoundException if there is no such webhook in the scope
     */
    WebhookInfo get(String scope, String webhookId);

    /**
     * Every webhook of the scope, without their secrets.
     *
     * @param scope the scope
     * @return the webhooks
     */
    List<WebhookInfo> list(String scope);

    /**
     * Deletes a webhook and its pending deliveries.
     *
     * @param scope the scope
     * @param webhookId the webhook
     * @throws NotFoundException if there is no such webhook in the scope
     */
    void delete(String scope, String webhookId);

    /**
     * The webhook's deliveries, newest first, with their attempts; {@code status} filters
     * ({@code pending}, {@code delivered}, {@code dead}; null for all), {@code limit} 1..200.
     *
     * @param scope the scope
     * @param webhookId the webhook
     * @param status only deliveries in this status, or null
     * @param limit the most to return
     * @return the deliveries
     */
    List<WebhookDelivery> deliveries(String scope, String webhookId, String status, int limit);
}

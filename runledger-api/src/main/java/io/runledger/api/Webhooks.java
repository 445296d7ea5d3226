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

    /**
     * Sends a delivery again: a {@code dead} or {@code delivered} delivery becomes
     * {@code pending}, due at once, with a fresh series of attempts (it can end {@code dead}
     * again after as many failures as a new delivery). It stays the same delivery: the same
     * {@code deliveryId}, so the same {@code webhook-id} header, and the same payload, signed
     * with the webhook's current secret; its attempt log goes on from the attempts before.
     * Of two calls racing, one makes it pending and the other is refused.
     *
     * @param scope the scope
     * @param webhookId the webhook
     * @param deliveryId the delivery
     * @return the delivery, pending
     * @throws NotFoundException {@code webhook_not_found} or {@code delivery_not_found} if the
     *     scope has no such webhook, or the webhook no such delivery
     * @throws ConflictException {@code delivery_pending} if the delivery is still pending
     */
    WebhookDelivery redeliver(String scope, String webhookId, String deliveryId);
}

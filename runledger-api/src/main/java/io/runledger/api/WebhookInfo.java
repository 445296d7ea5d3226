package io.runledger.api;

import java.time.Instant;
import java.util.List;

/**
 * A webhook endpoint of a scope. {@code secret} (a Standard Webhooks {@code whsec_...}
 * secret) is only filled in when the webhook is created or its secret replaced;
 * {@code windowSeconds} is set only for an {@link WebhookKind#ALERT} webhook. {@code stats}
 * tells how the endpoint has been doing (success rate, last failure); null when not read.
 *
 * @param scope the scope
 * @param webhookId its id
 * @param url where deliveries are POSTed
 * @param events the event types or prefixes it receives
 * @param enabled whether it receives deliveries
 * @param secret its secret, only when just created or replaced; else null
 * @param createdAt when it was created
 * @param updatedAt when it was last changed
 * @param created true if this PUT created it
 * @param kind what it receives
 * @param windowSeconds an alert webhook's window; null otherwise
 * @param stats its deliveries and attempts of the last hours, or null
 */
public record WebhookInfo(String scope, String webhookId, String url, List<String> events, boolean enabled,
                          String secret, Instant createdAt, Instant updatedAt, boolean created, WebhookKind kind,
                          Integer windowSeconds, WebhookStats stats) {

    /**
     * A webhook without its stats.
     *
     * @param scope the scope
     * @param webhookId its id
     * @param url where deliveries are POSTed
     * @param events the event types or prefixes it receives
     * @param enabled whether it receives deliveries
     * @param secret its secret, only when just created or replaced; else null
     * @param createdAt when it was created
     * @param updatedAt when it was last changed
     * @param created true if this PUT created it
     * @param kind what it receives
     * @param windowSeconds an alert webhook's window; null otherwise
     */
    public WebhookInfo(String scope, String webhookId, String url, List<String> events, boolean enabled,
                       String secret, Instant createdAt, Instant updatedAt, boolean created, WebhookKind kind,
                       Integer windowSeconds) {
        this(scope, webhookId, url, events, enabled, secret, createdAt, updatedAt, created, kind, windowSeconds, null);
    }

    /**
     * A webhook of run events.
     *
     * @param scope the scope
     * @param webhookId its id
     * @param url where deliveries are POSTed
     * @param events the event types or prefixes it receives
     * @param enabled whether it receives deliveries
     * @param secret its secret, only when just created or replaced; else null
     * @param createdAt when it was created
     * @param updatedAt when it was last changed
     * @param created true if this PUT created it
     */
    public WebhookInfo(String scope, String webhookId, String url, List<String> events, boolean enabled,
                       String secret, Instant createdAt, Instant updatedAt, boolean created) {
        this(scope, webhookId, url, events, enabled, secret, createdAt, updatedAt, created, WebhookKind.EVENTS, null,
                null);
    }
}

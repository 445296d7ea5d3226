package io.runledger.api;

import java.time.Instant;
import java.util.List;

/**
 * A webhook endpoint of a scope. {@code secret} (a Standard Webhooks {@code whsec_...}
 * secret) is only filled in when the webhook is created or its secret replaced;
 * {@code windowSeconds} is set only for an {@link WebhookKind#ALERT} webhook.
 */
public record WebhookInfo(String scope, String webhookId, String url, List<String> events, boolean enabled,
                          String secret, Instant createdAt, Instant updatedAt, boolean created, WebhookKind kind,
                          Integer windowSeconds) {

    public WebhookInfo(String scope, String webhookId, String url, List<String> events, boolean enabled,
                       String secret, Instant createdAt, Instant updatedAt, boolean created) {
        this(scope, webhookId, url, events, enabled, secret, createdAt, updatedAt, created, WebhookKind.EVENTS, null);
    }
}

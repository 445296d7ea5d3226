package io.runledger.api;

import java.time.Instant;
import java.util.List;

/**
 * A webhook endpoint of a scope. {@code secret} (a Standard Webhooks {@code whsec_...}
 * secret) is only filled in when the webhook is created or its secret replaced.
 */
public record WebhookInfo(String scope, String webhookId, String url, List<String> events, boolean enabled,
                          String secret, Instant createdAt, Instant updatedAt, boolean created) {
}

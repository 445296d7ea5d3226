package io.runledger.core.internal.store;

import java.time.Instant;
import java.util.List;

/** A row of {@code webhooks}; {@code inserted} is true only from an upsert that created it. */
public record WebhookRow(String scope, String webhookId, String url, List<String> events, boolean enabled,
                         String secret, Instant createdAt, Instant updatedAt, boolean inserted) {
}

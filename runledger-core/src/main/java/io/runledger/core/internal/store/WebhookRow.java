package io.runledger.core.internal.store;

import java.time.Instant;
import java.util.List;

/**
 * A row of {@code webhooks}; {@code inserted} is true only from an upsert that created it.
 * {@code kind} is {@code events} or {@code alert}; {@code windowSeconds} is set only for alerts.
 */
public record WebhookRow(String scope, String webhookId, String url, List<String> events, boolean enabled,
                         String secret, Instant createdAt, Instant updatedAt, boolean inserted, String kind,
                         Integer windowSeconds) {
}

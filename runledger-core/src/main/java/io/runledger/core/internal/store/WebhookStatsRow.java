package io.runledger.core.internal.store;

import java.time.Instant;

/**
 * A row of {@link WebhookStore#webhooksStats}: a webhook's deliveries created in the window by
 * status, its attempts in the window and how many failed, and its latest failed attempt
 * ({@code lastFailureAt} null if it has none).
 */
public record WebhookStatsRow(String webhookId, long delivered, long dead, long pending, long attempts,
                              long failedAttempts, Instant lastFailureAt, Integer lastFailureStatusCode,
                              String lastFailureError) {
}

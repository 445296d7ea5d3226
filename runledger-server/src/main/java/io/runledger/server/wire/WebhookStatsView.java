package io.runledger.server.wire;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.time.Instant;

/** How a webhook endpoint has been doing: its deliveries and attempts of the last hours, its latest failure. */
public record WebhookStatsView(
        @JsonPropertyDescription("the hours the counts cover, up to now") int windowHours,
        @JsonPropertyDescription("deliveries created in the window that a receiver accepted") long delivered,
        @JsonPropertyDescription("deliveries created in the window whose attempts ran out") long dead,
        @JsonPropertyDescription("deliveries created in the window still being tried") long pending,
        @JsonPropertyDescription("attempts made in the window") long attempts,
        @JsonPropertyDescription("attempts made in the window that failed (no answer, or not a 2xx)")
        long failedAttempts,
        @JsonPropertyDescription("the share of the window's attempts that succeeded, 0 to 1; null without attempts")
        @Nullable Double successRate,
        @JsonPropertyDescription("the latest failed attempt, even if older than the window (settled deliveries"
                + " are kept 7 days)") @Nullable Instant lastFailureAt,
        @Nullable Integer lastFailureStatusCode,
        @Nullable String lastFailureError) {
}

package io.runledger.server.wire;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One delivery of a webhook and its attempts. */
public record WebhookDeliveryView(
        String deliveryId,
        String webhookId,
        @JsonPropertyDescription("null for an alert, which reports a window, not one run") @Nullable String runId,
        @Nullable Long seq,
        String eventType,
        @OneOf({"pending", "delivered", "dead"}) String status,
        int attempts,
        @Nullable Integer lastStatusCode,
        @Nullable String lastError,
        Instant createdAt,
        @Nullable Instant nextAttemptAt,
        @Nullable Instant deliveredAt,
        JsonNode attemptLog) {
}

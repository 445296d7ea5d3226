package io.runledger.server.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A signal's outbound message and its delivery status. */
public record RunMessageView(
        String messageId,
        String runId,
        long seq,
        String type,
        @OneOf({"debug", "info", "warning", "error", "critical"}) String severity,
        JsonNode data,
        @OneOf({"pending", "delivered", "acked"}) String status,
        Instant createdAt,
        @Nullable Instant deliveredAt,
        @Nullable Instant ackedAt) {
}

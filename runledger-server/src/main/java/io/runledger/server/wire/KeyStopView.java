package io.runledger.server.wire;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.time.Instant;

/** A stop recorded on an idempotency key before any run had it. */
public record KeyStopView(
        String idempotencyKey,
        @OneOf("stop_recorded") String status,
        @JsonPropertyDescription("always null: no run has the key yet") @Nullable String runId,
        Instant stopRequestedAt) {
}

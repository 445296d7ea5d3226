package io.runledger.server.wire;

import io.runledger.api.RunStatus;
import java.time.Instant;

/** The answer to a trigger: the run is durably registered. */
public record ReceiptView(
        String runId,
        String scope,
        String service,
        RunStatus status,
        String commandId,
        @Nullable String correlationId,
        Instant createdAt,
        ReceiptLinksView links) {
}

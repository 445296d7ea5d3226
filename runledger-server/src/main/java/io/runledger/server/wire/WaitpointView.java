package io.runledger.server.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.WaitpointKind;
import io.runledger.api.WaitpointStatus;
import java.time.Instant;
import java.util.List;

/** A waitpoint of a scope. */
public record WaitpointView(
        String waitpointId,
        String scope,
        WaitpointKind kind,
        WaitpointStatus status,
        JsonNode data,
        @Nullable String runId,
        @Nullable String targetRunId,
        @Nullable String targetBatchId,
        @Nullable Instant resumeAt,
        @Nullable Instant expiresAt,
        @Nullable String idempotencyKey,
        List<String> tags,
        Instant createdAt,
        @Nullable Instant completedAt) {
}

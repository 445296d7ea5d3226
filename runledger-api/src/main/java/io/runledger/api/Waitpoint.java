package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * Something runs can wait on. {@code data} is the result once it completed (a token's
 * completion data, a run's or a batch's outcome). {@code resumeAt} is when a duration
 * completes; {@code expiresAt} when a pending token times out. {@code runId} is the run that
 * created it by suspending (duration, run and batch kinds) or by {@code createToken}, if any.
 */
public record Waitpoint(
        String waitpointId,
        String scope,
        WaitpointKind kind,
        WaitpointStatus status,
        JsonNode data,
        String runId,
        String targetRunId,
        String targetBatchId,
        Instant resumeAt,
        Instant expiresAt,
        String idempotencyKey,
        List<String> tags,
        Instant createdAt,
        Instant completedAt) {

    public Waitpoint {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}

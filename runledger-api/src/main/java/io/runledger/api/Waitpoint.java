package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * Something runs can wait on. {@code data} is the result once it completed (a token's
 * completion data, a run's or a batch's outcome). {@code resumeAt} is when a duration
 * completes; {@code expiresAt} when a pending token times out. {@code runId} is the run that
 * created it by suspending (duration, run and batch kinds) or by {@code createToken}, if any.
 *
 * @param waitpointId the waitpoint's id ({@code wp_...})
 * @param scope the scope it belongs to
 * @param kind what it waits for: a token, a duration, a run or a batch
 * @param status pending until it completes, times out or is cancelled
 * @param data its result once it completed; null while pending
 * @param runId the run that created it, or null
 * @param targetRunId the run it waits for (kind {@code run}), else null
 * @param targetBatchId the batch it waits for (kind {@code batch}), else null
 * @param resumeAt when a duration completes, else null
 * @param expiresAt when a pending token times out, or null if it never does
 * @param idempotencyKey the key it was created with, or null
 * @param tags labels given at creation (never null)
 * @param createdAt when it was created
 * @param completedAt when it completed, timed out or was cancelled; null while pending
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

    /** Keeps an unmodifiable copy of {@code tags} (none when null). */
    public Waitpoint {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}

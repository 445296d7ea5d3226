package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * The current state of a run: the projection of its ledger. {@code rootRunId} is the first
 * run of its tree of children (itself for a run without a parent); {@code replayOf} the run
 * it replays, if any. Leases take higher {@code priority} first (-100..100, default 0).
 * {@code lastEventAt} is the time of its latest event (heartbeats write none).
 *
 * @param runId the run's id ({@code run_...})
 * @param scope its scope
 * @param service its service
 * @param status where it is in its life
 * @param attempt the current or last attempt, from 1
 * @param maxAttempts how many attempts it may take
 * @param input its input
 * @param output its output once it succeeded, else null
 * @param error why it failed or was cancelled, else null
 * @param commandId the trigger's idempotency key, else an id generated for it
 * @param correlationId the caller's own id, or null
 * @param concurrencyKey its concurrency key, or null
 * @param parentRunId the run that triggered it as a child, or null
 * @param tags its tags (never null)
 * @param metadata the caller's metadata
 * @param workerId the worker of its current or last attempt, or null
 * @param createdAt when it was registered
 * @param runAt when it became or becomes due
 * @param startedAt when its current or last attempt started, or null
 * @param finishedAt when it settled, or null
 * @param stopRequestedAt when a stop was requested while it ran, or null
 * @param leaseExpiresAt when the current lease expires, or null when none is held
 * @param updatedAt when its row last changed
 * @param lastSeq the seq of its latest event
 * @param rootRunId the first run of its tree of children (itself without a parent)
 * @param replayOf the run it replays, or null
 * @param priority its priority, -100..100
 * @param lastEventAt when its latest event was written, or null if unknown
 */
public record Run(
        String runId,
        String scope,
        String service,
        RunStatus status,
        int attempt,
        int maxAttempts,
        JsonNode input,
        JsonNode output,
        RunError error,
        String commandId,
        String correlationId,
        String concurrencyKey,
        String parentRunId,
        List<String> tags,
        JsonNode metadata,
        String workerId,
        Instant createdAt,
        Instant runAt,
        Instant startedAt,
        Instant finishedAt,
        Instant stopRequestedAt,
        Instant leaseExpiresAt,
        Instant updatedAt,
        long lastSeq,
        String rootRunId,
        String replayOf,
        int priority,
        Instant lastEventAt) {

    /** Keeps an unmodifiable copy of {@code tags} (none when null). */
    public Run {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /**
     * A run without {@code lastEventAt} (unknown).
     *
     * @param runId the run's id ({@code run_...})
     * @param scope its scope
     * @param service its service
     * @param status where it is in its life
     * @param attempt the current or last attempt, from 1
     * @param maxAttempts how many attempts it may take
     * @param input its input
     * @param output its output once it succeeded, else null
     * @param error why it failed or was cancelled, else null
     * @param commandId the trigger's idempotency key, else an id generated for it
     * @param correlationId the caller's own id, or null
     * @param concurrencyKey its concurrency key, or null
     * @param parentRunId the run that triggered it as a child, or null
     * @param tags its tags (never null)
     * @param metadata the caller's metadata
     * @param workerId the worker of its current or last attempt, or null
     * @param createdAt when it was registered
     * @param runAt when it became or becomes due
     * @param startedAt when its current or last attempt started, or null
     * @param finishedAt when it settled, or null
     * @param stopRequestedAt when a stop was requested while it ran, or null
     * @param leaseExpiresAt when the current lease expires, or null when none is held
     * @param updatedAt when its row last changed
     * @param lastSeq the seq of its latest event
     * @param rootRunId the first run of its tree of children (itself without a parent)
     * @param replayOf the run it replays, or null
     * @param priority its priority, -100..100
     */
    public Run(String runId, String scope, String service, RunStatus status, int attempt, int maxAttempts,
               JsonNode input, JsonNode output, RunError error, String commandId, String correlationId,
               String concurrencyKey, String parentRunId, List<String> tags, JsonNode metadata, String workerId,
               Instant createdAt, Instant runAt, Instant startedAt, Instant finishedAt, Instant stopRequestedAt,
               Instant leaseExpiresAt, Instant updatedAt, long lastSeq, String rootRunId, String replayOf,
               int priority) {
        this(runId, scope, service, status, attempt, maxAttempts, input, output, error, commandId, correlationId,
                concurrencyKey, parentRunId, tags, metadata, workerId, createdAt, runAt, startedAt, finishedAt,
                stopRequestedAt, leaseExpiresAt, updatedAt, lastSeq, rootRunId, replayOf, priority, null);
    }
}

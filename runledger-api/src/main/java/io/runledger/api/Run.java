package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * The current state of a run: the projection of its ledger. {@code rootRunId} is the first
 * run of its tree of children (itself for a run without a parent); {@code replayOf} the run
 * it replays, if any. Leases take higher {@code priority} first (-100..100, default 0).
 * {@code lastEventAt} is the time of its latest event (heartbeats write none).
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

    public Run {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** A run without {@code lastEventAt} (unknown). */
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

package io.runledger.server.wire;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.RunStatus;
import java.time.Instant;
import java.util.List;

/** A run as every answer shows it: the projection of its ledger. */
public record RunView(
        String runId,
        String scope,
        String service,
        RunStatus status,
        int attempt,
        int maxAttempts,
        @JsonPropertyDescription("the run's input: any JSON value") JsonNode input,
        @JsonPropertyDescription("what the run completed with; null until it succeeded") JsonNode output,
        @Nullable RunErrorView error,
        @JsonPropertyDescription("the idempotency key, else an id the server generated") String commandId,
        @Nullable String correlationId,
        @Nullable String concurrencyKey,
        @Nullable String parentRunId,
        List<String> tags,
        JsonNode metadata,
        @Nullable String workerId,
        Instant createdAt,
        @Nullable Instant runAt,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt,
        @Nullable Instant stopRequestedAt,
        @Nullable Instant leaseExpiresAt,
        Instant updatedAt,
        @JsonPropertyDescription("the seq of the run's latest event") long lastSeq,
        @JsonPropertyDescription("the first run of its tree of children (itself without a parent)") String rootRunId,
        @Nullable String replayOf,
        int priority,
        @Nullable Instant lastEventAt) {
}

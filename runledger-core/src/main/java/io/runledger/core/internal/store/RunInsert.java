package io.runledger.core.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.RunStatus;
import java.time.Instant;
import java.util.List;

/**
 * Parameters of {@link RunStore#runInsert}: the run as the trigger decided it, on the
 * transaction's clock ({@code status} accepted or scheduled, {@code runAt} null for at once).
 * {@code retry} is the run's own retry policy (null: the default one); {@code rootRunId} is set
 * for children only (a run without a parent is its own root); {@code replayOf} for replays.
 */
public record RunInsert(
        String scope,
        String runId,
        String service,
        RunStatus status,
        int maxAttempts,
        int leaseTtlSeconds,
        JsonNode input,
        String commandId,
        String correlationId,
        String concurrencyKey,
        boolean holdsKey,
        String parentRunId,
        List<String> tags,
        JsonNode metadata,
        Instant runAt,
        Long ttlSeconds,
        String batchId,
        JsonNode retry,
        String rootRunId,
        String replayOf,
        int priority) {
}

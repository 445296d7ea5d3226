package io.runledger.core.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** Parameters of {@link RunStore#runInsert}. */
public record RunInsert(
        String scope,
        String runId,
        String service,
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
        Long delaySeconds,
        Long ttlSeconds,
        String batchId) {
}

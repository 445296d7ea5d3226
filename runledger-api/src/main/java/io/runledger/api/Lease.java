package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A worker's time-boxed right to execute one attempt of a run, fenced by {@code leaseToken}. */
public record Lease(
        String runId,
        String service,
        JsonNode input,
        int attempt,
        String leaseToken,
        Instant leaseExpiresAt) {
}

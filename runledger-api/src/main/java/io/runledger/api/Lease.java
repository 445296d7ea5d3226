package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A worker's time-boxed right to execute one attempt of a run, fenced by {@code leaseToken}.
 * A run executed before (a retry, a recovery, a resume) carries what it recorded:
 * {@code steps} (each completed step's output, by name) and {@code resumed} (the results of
 * each completed suspend, by step), so its handler replays without extra calls. When the
 * steps were too large for one answer, {@code stepsComplete} is false and the rest are read
 * with {@link Runs#steps}.
 */
public record Lease(
        String runId,
        String service,
        JsonNode input,
        int attempt,
        String leaseToken,
        Instant leaseExpiresAt,
        Map<String, JsonNode> steps,
        Map<String, List<WaitResult>> resumed,
        boolean stepsComplete) {

    public Lease {
        steps = steps == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(steps));
        resumed = resumed == null ? Map.of() : Map.copyOf(resumed);
    }

    /** A lease of a run with nothing recorded yet. */
    public Lease(String runId, String service, JsonNode input, int attempt, String leaseToken, Instant leaseExpiresAt) {
        this(runId, service, input, attempt, leaseToken, leaseExpiresAt, Map.of(), Map.of(), true);
    }
}

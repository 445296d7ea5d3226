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
 *
 * @param runId the leased run
 * @param service its service
 * @param input its input
 * @param attempt the attempt this lease is for, from 1
 * @param leaseToken fences every report on this attempt: heartbeats, events and the outcome
 * @param leaseExpiresAt when the lease expires unless a heartbeat extends it (server clock)
 * @param steps each completed step's output, by step name
 * @param resumed the results of each completed suspend, by step
 * @param stepsComplete false when not all steps fit in this answer
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

    /** Keeps unmodifiable copies of {@code steps} (in their order) and {@code resumed}; null means none. */
    public Lease {
        steps = steps == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(steps));
        resumed = resumed == null ? Map.of() : Map.copyOf(resumed);
    }

    /**
     * A lease of a run with nothing recorded yet.
     *
     * @param runId the leased run
     * @param service its service
     * @param input its input
     * @param attempt the attempt this lease is for, from 1
     * @param leaseToken fences every report on this attempt
     * @param leaseExpiresAt when the lease expires unless a heartbeat extends it
     */
    public Lease(String runId, String service, JsonNode input, int attempt, String leaseToken, Instant leaseExpiresAt) {
        this(runId, service, input, attempt, leaseToken, leaseExpiresAt, Map.of(), Map.of(), true);
    }
}

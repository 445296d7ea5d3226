package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/**
 * A worker's request for up to {@code max} runs of the given services, waiting up to
 * {@code waitFor} for one to arrive.
 *
 * @param workerId who leases: the worker's id, also recorded on the runs it takes
 * @param services the services to take runs of
 * @param max how many runs at most, 1..{@value #MAX_BATCH}
 * @param waitFor how long to wait for a run when none is queued, up to {@link #MAX_WAIT}; null: no wait
 * @param version the worker's version, shown among the workers, or null
 * @param capabilities what the worker can do, any JSON, shown among the workers, or null
 */
public record LeaseRequest(
        String workerId,
        List<String> services,
        int max,
        Duration waitFor,
        String version,
        JsonNode capabilities) {

    /** The most runs one lease takes. */
    public static final int MAX_BATCH = 1000;
    /** The longest wait of one lease call. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(60);

    /**
     * Keeps an unmodifiable copy of {@code services} (a null element is left for validation to refuse); a
     * null wait is no wait.
     */
    public LeaseRequest {
        // Not List.copyOf: a null element must reach validation (invalid_argument), not throw here.
        services = services == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(services));
        waitFor = waitFor == null ? Duration.ZERO : waitFor;
    }

    /**
     * A request without version or capabilities.
     *
     * @param workerId who leases
     * @param services the services to take runs of
     * @param max how many runs at most
     * @param wait how long to wait for a run when none is queued
     * @return the request
     */
    public static LeaseRequest of(String workerId, List<String> services, int max, Duration wait) {
        return new LeaseRequest(workerId, services, max, wait, null, null);
    }
}

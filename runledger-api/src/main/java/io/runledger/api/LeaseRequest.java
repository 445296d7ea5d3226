package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/**
 * A worker's request for up to {@code max} runs of the given services, waiting up to
 * {@code waitFor} for one to arrive.
 */
public record LeaseRequest(
        String workerId,
        List<String> services,
        int max,
        Duration waitFor,
        String version,
        JsonNode capabilities) {

    public static final int MAX_BATCH = 1000;
    public static final Duration MAX_WAIT = Duration.ofSeconds(60);

    public LeaseRequest {
        // Not List.copyOf: a null element must reach validation (invalid_argument), not throw here.
        services = services == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(services));
        waitFor = waitFor == null ? Duration.ZERO : waitFor;
    }

    public static LeaseRequest of(String workerId, List<String> services, int max, Duration wait) {
        return new LeaseRequest(workerId, services, max, wait, null, null);
    }
}

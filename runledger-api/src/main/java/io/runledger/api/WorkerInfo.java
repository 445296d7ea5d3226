package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A worker seen in a scope, with what it announced on its last lease.
 *
 * @param workerId the id it leases with
 * @param services the services it asked for
 * @param version the version it announced, or null
 * @param capabilities what it announced it can do, any JSON, or null
 * @param lastSeenAt its last lease or heartbeat
 * @param runsHeld how many of its runs are running now
 */
public record WorkerInfo(
        String workerId,
        List<String> services,
        String version,
        JsonNode capabilities,
        Instant lastSeenAt,
        int runsHeld) {
}

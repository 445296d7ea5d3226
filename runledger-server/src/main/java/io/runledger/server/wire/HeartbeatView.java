package io.runledger.server.wire;

import java.time.Instant;
import java.util.List;

/** The answer to a heartbeat: the lease's new expiry, a stop request, messages to handle. */
public record HeartbeatView(
        Instant leaseExpiresAt,
        boolean stopRequested,
        List<RunMessageView> messages) {
}

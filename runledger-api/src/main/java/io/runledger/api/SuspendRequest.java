package io.runledger.api;

import java.util.List;

/**
 * The lease holder suspends its run at {@code step} until every waitpoint completes (or
 * {@code timeoutSeconds} pass, then {@code onTimeout} decides; default resume).
 */
public record SuspendRequest(String leaseToken, String step, List<WaitpointRef> waitpoints, Long timeoutSeconds,
                             OnTimeout onTimeout) {
    /** The most waitpoints one suspend waits on. */
    public static final int MAX_WAITPOINTS = 1000;

    public SuspendRequest {
        waitpoints = waitpoints == null ? List.of()
                : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(waitpoints));
    }
}

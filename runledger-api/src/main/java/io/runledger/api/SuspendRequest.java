package io.runledger.api;

import java.util.List;

/**
 * The lease holder suspends its run at {@code step} until every waitpoint completes (or
 * {@code timeoutSeconds} pass, then {@code onTimeout} decides; default resume).
 *
 * @param leaseToken the token of the lease held on the run
 * @param step the name of the step that waits; a resumed run finds the results under it
 * @param waitpoints what to wait on, 1..{@value #MAX_WAITPOINTS}
 * @param timeoutSeconds how long to wait at most; null: no limit
 * @param onTimeout what happens at the timeout; null: resume
 */
public record SuspendRequest(String leaseToken, String step, List<WaitpointRef> waitpoints, Long timeoutSeconds,
                             OnTimeout onTimeout) {
    /** The most waitpoints one suspend waits on. */
    public static final int MAX_WAITPOINTS = 1000;

    /**
     * Keeps an unmodifiable copy of {@code waitpoints} (none when null); a null element is left for
     * validation to refuse.
     */
    public SuspendRequest {
        waitpoints = waitpoints == null ? List.of()
                : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(waitpoints));
    }
}

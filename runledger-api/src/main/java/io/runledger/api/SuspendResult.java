package io.runledger.api;

import java.util.List;

/**
 * The answer to a suspend: {@code suspended} (the lease ended; the run resumes on a later
 * lease), or not, because every waitpoint was complete already: then {@code results} holds
 * their results and the worker goes on under the same lease. Results are in the order of the
 * suspend's waitpoints, as are those of {@code run.resumed} and of {@link Lease#resumed}.
 */
public record SuspendResult(boolean suspended, List<WaitResult> results) {
    public SuspendResult {
        results = results == null ? List.of() : List.copyOf(results);
    }
}

package io.runledger.api;

import java.util.List;

/**
 * The answer to a suspend: {@code suspended} (the lease ended; the run resumes on a later
 * lease), or not, because every waitpoint was complete already: then {@code results} holds
 * their results and the worker goes on under the same lease. Results are in the order of the
 * suspend's waitpoints, as are those of {@code run.resumed} and of {@link Lease#resumed}.
 *
 * @param suspended true if the run now waits and the lease ended
 * @param results the waitpoints' results when it did not suspend; empty otherwise
 */
public record SuspendResult(boolean suspended, List<WaitResult> results) {
    /** Keeps an unmodifiable copy of {@code results} (none when null). */
    public SuspendResult {
        results = results == null ? List.of() : List.copyOf(results);
    }
}

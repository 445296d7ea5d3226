package io.runledger.core.internal.leases;

import io.runledger.api.LeaseRequest;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which workers this instance recorded as seen lately, and as what (services, version,
 * capabilities). A worker that polls again within {@link #FRESH} as the same thing is not
 * written again: a drain's workers poll many times a second, and the worker row's
 * {@code last_seen_at} is only read against minutes (a worker is stale after 90 s unseen).
 * A worker that comes back as something else is written at once. Bounded: past
 * {@link #MAX_ENTRIES} workers the memory starts over, which only costs writes.
 */
final class SeenWorkers {
    static final Duration FRESH = Duration.ofSeconds(10);
    static final int MAX_ENTRIES = 10_000;

    private record Seen(List<String> services, String version, String capabilities, long atNanos) {
    }

    private final ConcurrentHashMap<String, Seen> seen = new ConcurrentHashMap<>();

    /** Whether the worker was recorded as seen, as it asks now, within {@link #FRESH}. */
    boolean recent(String scope, LeaseRequest request) {
        Seen s = seen.get(key(scope, request));
        return s != null && System.nanoTime() - s.atNanos() < FRESH.toNanos()
                && s.services().equals(request.services()) && Objects.equals(s.version(), request.version())
                && Objects.equals(s.capabilities(), capabilities(request));
    }

    /** The worker was written as seen, as it asks now. */
    void recorded(String scope, LeaseRequest request) {
        if (seen.size() >= MAX_ENTRIES) {
            seen.clear();
        }
        seen.put(key(scope, request),
                new Seen(List.copyOf(request.services()), request.version(), capabilities(request), System.nanoTime()));
    }

    private static String capabilities(LeaseRequest request) {
        return request.capabilities() == null ? null : request.capabilities().toString();
    }

    private static String key(String scope, LeaseRequest request) {
        return scope + '\u0000' + request.workerId();
    }
}

package io.runledger.core.internal.kernel;

import io.runledger.api.ServiceInfo;
import io.runledger.core.internal.notify.ServiceChanges;
import io.runledger.core.internal.store.ServiceStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;

/**
 * Service definitions as triggers read them, kept in memory so a trigger does not spend a
 * round trip on them. A change is announced by NOTIFY in the writing transaction
 * ({@link Tx.Changes#serviceChanged}) and drops the entry on every instance; a lost LISTEN
 * connection drops everything. Entries also expire after {@link #MAX_AGE}, a bound on how
 * long a definition could stay stale if a notification were ever lost with the connection
 * still up. Only services that exist are cached, so a new service is seen at once.
 *
 * <p>A generation counter closes the race between a read and a concurrent invalidation: a
 * value read from the database is dropped again if any invalidation happened since the read
 * began, so an old definition never outlives the drop of a newer one (at worst a neighbour's
 * fresh entry is dropped too: one more read).
 */
public final class ServiceCache implements ServiceChanges {
    static final Duration MAX_AGE = Duration.ofSeconds(30);

    private record Entry(ServiceInfo service, long loadedAt) {
    }

    private final ServiceStore store;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    public ServiceCache(ServiceStore store) {
        this.store = store;
    }

    /** The service if memory holds a fresh copy; empty says "read it", not "it does not exist". */
    public Optional<ServiceInfo> fresh(String scope, String service) {
        Entry e = entries.get(key(scope, service));
        return e != null && System.nanoTime() - e.loadedAt() < MAX_AGE.toNanos()
                ? Optional.of(e.service()) : Optional.empty();
    }

    /**
     * The concurrency limits of {@code services} (those that have one), if memory holds a
     * fresh copy of every one of them; empty says "read them".
     */
    public Optional<Map<String, Integer>> limits(String scope, List<String> services) {
        Map<String, Integer> limits = new HashMap<>();
        for (String service : services) {
            Optional<ServiceInfo> s = fresh(scope, service);
            if (s.isEmpty()) {
                return Optional.empty();
            }
            if (s.get().concurrencyLimit() != null) {
                limits.put(service, s.get().concurrencyLimit());
            }
        }
        return Optional.of(limits);
    }

    /** Reads the service with {@code h} and keeps it, if it exists; see {@link #fresh} for a copy in memory. */
    public Optional<ServiceInfo> read(Handle h, String scope, String service) {
        String key = key(scope, service);
        long now = System.nanoTime();
        long seen = generation.get();
        Optional<ServiceInfo> read = store.serviceGet(h, scope, service);
        read.ifPresent(s -> {
            entries.put(key, new Entry(s, now));
            if (generation.get() != seen) {
                entries.remove(key); // changed meanwhile: what was read may be the old one
            }
        });
        return read;
    }

    @Override
    public void serviceChanged(String scope, String service) {
        generation.incrementAndGet();
        entries.remove(key(scope, service));
    }

    @Override
    public void allMayHaveChanged() {
        generation.incrementAndGet();
        entries.clear();
    }

    private static String key(String scope, String service) {
        return scope + '\u0000' + service;
    }
}

package io.runledger.core.internal.kernel;

import io.runledger.api.ServiceInfo;
import io.runledger.core.internal.notify.ServiceChanges;
import io.runledger.core.internal.store.ServiceStore;
import java.time.Duration;
import java.util.LinkedHashMap;
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
        Map<String, ServiceInfo> known = new LinkedHashMap<>();
        for (String service : services) {
            Optional<ServiceInfo> s = fresh(scope, service);
            if (s.isEmpty()) {
                return Optional.empty();
            }
            known.put(service, s.get());
        }
        return Optional.of(limitsOf(known));
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

    /**
     * Reads those of {@code services} that exist with {@code h}, in one statement, and keeps
     * them; the found ones by name, in the order asked. A lease poll checks its services this
     * way, so the polls and completions after it find them in memory.
     */
    public Map<String, ServiceInfo> readAll(Handle h, String scope, List<String> services) {
        long now = System.nanoTime();
        long seen = generation.get();
        Map<String, ServiceInfo> read = store.servicesFound(h, scope, services);
        Map<String, ServiceInfo> found = new LinkedHashMap<>();
        for (String service : services) {
            ServiceInfo s = read.get(service);
            if (s != null) {
                found.put(service, s);
                entries.put(key(scope, service), new Entry(s, now));
            }
        }
        if (generation.get() != seen) {
            found.keySet().forEach(service -> entries.remove(key(scope, service))); // as in read
        }
        return found;
    }

    /** The concurrency limits of {@code services} (those that have one): from memory if fresh, else read. */
    public Map<String, Integer> limits(Handle h, String scope, List<String> services) {
        return limits(scope, services).orElseGet(() -> limitsOf(readAll(h, scope, services)));
    }

    /** The concurrency limits among {@code services}, by name, in their order; none for unlimited ones. */
    public static Map<String, Integer> limitsOf(Map<String, ServiceInfo> services) {
        Map<String, Integer> limits = new LinkedHashMap<>();
        services.forEach((name, s) -> {
            if (s.concurrencyLimit() != null) {
                limits.put(name, s.concurrencyLimit());
            }
        });
        return limits;
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

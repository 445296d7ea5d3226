package io.runledger.core.internal.admin;

import io.runledger.core.internal.store.ScopeKeyStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Scope keys that requests presented and the database confirmed, remembered for at most
 * {@link #HOLD}, so that a request does not spend a round trip to PostgreSQL on its key.
 *
 * <p>Revoking stays immediate for every instance because a revocation waits out the hold
 * before it answers ({@link #awaitForgotten}): an instance that still remembers the key read it
 * before the revocation committed, and the hold is counted from before that read was sent, so
 * by the time the revocation is answered every instance has forgotten the key. Any request that
 * arrives after that answer reads the key again, finds it gone and is refused, exactly as when
 * every request read its key. The instance that revokes forgets the key at once.
 *
 * <p>Only keys that exist are remembered: a key that does not exist costs a read each time,
 * so made-up keys cannot fill memory, and a key created a moment ago is found at once. At most
 * {@link #MAX_ENTRIES} keys are remembered; past that, reads are simply not kept.
 *
 * <p>The hold is measured on each instance's monotonic clock ({@link System#nanoTime}), so
 * instances need no common clock, only clocks that tick at the same rate.
 */
final class KeyCache {
    /** How long a confirmed key is used without reading it again; also what a revocation waits. */
    static final Duration HOLD = Duration.ofSeconds(1);
    static final int MAX_ENTRIES = 10_000;

    private record Entry(ScopeKeyStore.Found key, long readAt) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    /** Counts revocations seen here, to drop a read that raced one (see {@link #read}). */
    private final AtomicLong generation = new AtomicLong();

    /** The key with this hash if it was confirmed less than {@link #HOLD} ago; empty says "read it". */
    Optional<ScopeKeyStore.Found> remembered(String keyHash) {
        Entry e = entries.get(keyHash);
        if (e == null) {
            return Optional.empty();
        }
        if (System.nanoTime() - e.readAt() >= HOLD.toNanos()) {
            entries.remove(keyHash, e);
            return Optional.empty();
        }
        return Optional.of(e.key());
    }

    /**
     * Reads the key with {@code read} and remembers it if it exists. A revocation on this
     * instance while the read was under way drops what was read: it may be the key as it was
     * before the revocation.
     */
    Optional<ScopeKeyStore.Found> read(String keyHash, Function<String, Optional<ScopeKeyStore.Found>> read) {
        long readAt = System.nanoTime(); // before the read is sent: the hold can only come out shorter
        long seen = generation.get();
        Optional<ScopeKeyStore.Found> found = read.apply(keyHash);
        found.ifPresent(key -> {
            if (entries.size() >= MAX_ENTRIES) {
                long now = System.nanoTime();
                entries.values().removeIf(e -> now - e.readAt() >= HOLD.toNanos());
            }
            if (entries.size() < MAX_ENTRIES) {
                entries.put(keyHash, new Entry(key, readAt));
                if (generation.get() != seen) {
                    entries.remove(keyHash);
                }
            }
        });
        return found;
    }

    /** Forgets a revoked key on this instance, at once. */
    void revoked(String scope, String keyId) {
        generation.incrementAndGet();
        entries.values().removeIf(e -> e.key().scope().equals(scope) && e.key().keyId().equals(keyId));
    }

    /**
     * Returns once every instance has forgotten a key whose revocation committed before
     * {@code committedBy} (a {@link System#nanoTime} taken after the commit): {@link #HOLD}
     * after it. Not cut short by an interrupt, which is kept for the caller.
     */
    static void awaitForgotten(long committedBy) {
        long until = committedBy + HOLD.toNanos();
        boolean interrupted = false;
        for (long left; (left = until - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.runledger.core.internal.notify;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Long waits (lease polls, run waits, event waits) that can be ended together, e.g. by a
 * server that drains before it stops. Ending the group wakes every wait in it at once: each
 * returns what it last read, without another database round trip, and new waits in the
 * group return after their first check. Waiting threads are never interrupted (an
 * interrupted virtual thread would close the pooled JDBC connection it is using).
 */
public final class WaitGroup {
    private final Set<Runnable> wakers = ConcurrentHashMap.newKeySet();
    private volatile boolean ended;

    /** Ends every wait in the group now, and every later one after its first check. */
    public void end() {
        ended = true;
        wakers.forEach(Runnable::run);
    }

    public boolean ended() {
        return ended;
    }

    /**
     * For the engine: registers a wait, whose {@code wake} is run when the group ends. A wait
     * enters before it checks {@link #ended()}, so an end between the check and the wait is
     * never missed.
     */
    public Membership enter(Runnable wake) {
        Objects.requireNonNull(wake, "wake");
        wakers.add(wake);
        return () -> wakers.remove(wake);
    }

    /** A wait's place in the group; closing it leaves the group. */
    @FunctionalInterface
    public interface Membership extends AutoCloseable {
        @Override
        void close();
    }
}

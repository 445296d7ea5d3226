package io.runledger.core.internal.notify;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * In-process wake-ups keyed by what changed ("work in scope s", "events of run r").
 * A waiter takes a {@link Ticket} <em>before</em> it checks the database and then waits
 * on it, so a change committed between the check and the wait is never missed.
 */
public final class WakeUps {
    private final ConcurrentHashMap<String, Signal> signals = new ConcurrentHashMap<>();

    public static String workKey(String scope) {
        return "w/" + scope;
    }

    public static String eventsKey(String scope, String runId) {
        return "e/" + scope + "/" + runId;
    }

    /** Registers interest in {@code key}; close the ticket when done waiting. */
    public Ticket ticket(String key) {
        Signal signal = signals.compute(key, (k, existing) -> {
            Signal s = existing == null ? new Signal() : existing;
            s.holders++;
            return s;
        });
        signal.lock.lock();
        try {
            return new Ticket(key, signal, signal.version);
        } finally {
            signal.lock.unlock();
        }
    }

    public void wake(String key) {
        Signal signal = signals.get(key);
        if (signal != null) {
            signal.fire();
        }
    }

    /** After a lost connection to the database: everything may have changed. */
    public void wakeAll() {
        signals.values().forEach(Signal::fire);
    }

    private void release(String key, Signal signal) {
        signals.computeIfPresent(key, (k, s) -> {
            if (s != signal) {
                return s;
            }
            s.holders--;
            return s.holders == 0 ? null : s;
        });
    }

    /**
     * A lock and condition rather than {@code synchronized}/{@code wait}: a virtual thread
     * waiting on a monitor pins its carrier on JDK 21, and hundreds of open streams and
     * long-polls would exhaust the carriers.
     */
    private static final class Signal {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private int holders; // guarded by the map's compute
        private long version; // guarded by lock

        void fire() {
            lock.lock();
            try {
                version++;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** One waiter's view of a key, remembering the version it last saw. */
    public final class Ticket implements AutoCloseable {
        private final String key;
        private final Signal signal;
        private long seen;
        private boolean aborted; // guarded by signal.lock

        private Ticket(String key, Signal signal, long seen) {
            this.key = key;
            this.signal = signal;
            this.seen = seen;
        }

        /**
         * Waits until the key is woken after this ticket last returned, the ticket is
         * {@linkplain #abort() aborted}, or {@code timeout} passes. Returns true if woken.
         */
        public boolean await(Duration timeout) throws InterruptedException {
            long left = timeout.toNanos();
            signal.lock.lock();
            try {
                while (signal.version == seen) {
                    if (aborted) {
                        return false;
                    }
                    if (left <= 0) {
                        return false;
                    }
                    left = signal.changed.awaitNanos(left);
                }
                seen = signal.version;
                return true;
            } finally {
                signal.lock.unlock();
            }
        }

        /** Ends this ticket's current and later waits at once, waking no one else. */
        public void abort() {
            signal.lock.lock();
            try {
                aborted = true;
                signal.changed.signalAll();
            } finally {
                signal.lock.unlock();
            }
        }

        @Override
        public void close() {
            release(key, signal);
        }
    }
}

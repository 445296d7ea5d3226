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

    /**
     * Before the commit of a transaction that NOTIFYs for {@code key} and will wake it here
     * right after: the notification's echo through this instance's listener would wake the
     * same waiters a second time for nothing (one more ledger read per open stream per
     * append), so the echo is counted in advance and {@link #notified} skips it. Called
     * before the commit, since the echo can arrive before the committing thread wakes anyone.
     */
    public void expectEcho(String key) {
        Signal signal = signals.get(key);
        if (signal != null) {
            signal.echoes(1);
        }
    }

    /**
     * The transaction that {@link #expectEcho expected} an echo did not commit (or may not
     * have): the count is taken back, and the key is woken, since a notification of someone
     * else's commit may have been skipped in its place.
     */
    public void echoMissed(String key) {
        Signal signal = signals.get(key);
        if (signal != null) {
            signal.echoes(-1);
            signal.fire();
        }
    }

    /**
     * A notification from the listener: wakes the key unless it is the echo of a local commit
     * whose waiters are woken already. Skipping any one notification in place of the echo is
     * safe: notifications arrive in commit order, so one that arrives while the echo is due is
     * of a commit before the local one, whose local wake-up (after its commit) reads both.
     */
    public void notified(String key) {
        Signal signal = signals.get(key);
        if (signal != null && !signal.takeEcho()) {
            signal.fire();
        }
    }

    /** After a lost connection to the database: everything may have changed, and no echo is due. */
    public void wakeAll() {
        signals.values().forEach(s -> {
            s.clearEchoes();
            s.fire();
        });
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
        private int echoes; // guarded by lock: notifications of local commits still to arrive

        void echoes(int delta) {
            lock.lock();
            try {
                echoes = Math.max(0, echoes + delta);
            } finally {
                lock.unlock();
            }
        }

        boolean takeEcho() {
            lock.lock();
            try {
                if (echoes == 0) {
                    return false;
                }
                echoes--;
                return true;
            } finally {
                lock.unlock();
            }
        }

        void clearEchoes() {
            lock.lock();
            try {
                echoes = 0;
            } finally {
                lock.unlock();
            }
        }

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
        private boolean nudged; // guarded by signal.lock

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
                while (signal.version == seen && !nudged) {
                    if (aborted) {
                        return false;
                    }
                    if (left <= 0) {
                        return false;
                    }
                    left = signal.changed.awaitNanos(left);
                }
                seen = signal.version;
                nudged = false;
                return true;
            } finally {
                signal.lock.unlock();
            }
        }

        /**
         * Wakes this ticket's current (or next) wait alone, as a wake-up of its key would; the
         * other waiters of the key wake only to find nothing changed for them.
         */
        public void nudge() {
            signal.lock.lock();
            try {
                nudged = true;
                signal.changed.signalAll();
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

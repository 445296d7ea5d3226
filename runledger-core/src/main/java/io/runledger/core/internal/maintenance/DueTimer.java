package io.runledger.core.internal.maintenance;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the queue pass at the moments something comes due on this instance (a delayed retry,
 * a duration, a timeout), so a 2 s sleep resumes after 2 s rather than at the next periodic
 * pass. Best effort by design: times beyond the horizon, or past the bound of pending
 * timers, are left to the periodic pass, as is everything when this instance stops.
 */
public final class DueTimer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DueTimer.class);
    /** Beyond this the periodic pass is as good. */
    private static final Duration HORIZON = Duration.ofMinutes(10);
    private static final int MAX_PENDING = 10_000;
    /** Times closer than this share one pass. */
    private static final long COALESCE_MILLIS = 20;
    /** The database's clock may run ahead of this one: fire a little late rather than early. */
    private static final long MARGIN_MILLIS = 15;

    private final Runnable pass;
    private final ScheduledExecutorService timer;
    private final ConcurrentSkipListSet<Long> pending = new ConcurrentSkipListSet<>();

    public DueTimer(Runnable pass) {
        this("runledger-due", pass);
    }

    /** A timer on a thread of its own name, running {@code pass} (another pass than the queue's). */
    public DueTimer(String threadName, Runnable pass) {
        this.pass = pass;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(threadName).daemon(true)
                .factory());
    }

    public void at(Instant when) {
        long due = when.toEpochMilli() + MARGIN_MILLIS;
        long delay = due - System.currentTimeMillis();
        if (delay > HORIZON.toMillis() || pending.size() >= MAX_PENDING) {
            return;
        }
        Long near = pending.ceiling(due - COALESCE_MILLIS);
        if (near != null && near <= due + COALESCE_MILLIS) {
            return;
        }
        pending.add(due);
        try {
            timer.schedule(() -> {
                pending.remove(due);
                try {
                    pass.run();
                } catch (RuntimeException e) {
                    log.debug("pass at a due time failed; the periodic pass follows: {}", e.toString());
                }
            }, Math.max(0, delay), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            pending.remove(due); // closing
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

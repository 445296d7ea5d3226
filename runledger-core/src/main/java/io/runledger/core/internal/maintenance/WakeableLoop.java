package io.runledger.core.internal.maintenance;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A background task on its own thread that runs while it finds work (its task answers how
 * much it did), then waits for the interval or until {@link #wake} is called, whichever comes
 * first: new work started on this instance is taken at once, work started on another instance
 * within the interval. Backs off on failure like {@link MaintenanceLoop}.
 */
public final class WakeableLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WakeableLoop.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final String name;
    private final Duration interval;
    private final IntSupplier task;
    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    private volatile boolean stopped;

    public WakeableLoop(String name, Duration interval, IntSupplier task) {
        this.name = Objects.requireNonNull(name, "name");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.task = Objects.requireNonNull(task, "task");
        this.thread = Thread.ofPlatform().name("runledger-" + name).daemon(true).unstarted(this::loop);
    }

    public void start() {
        thread.start();
    }

    /** Runs the task now rather than at the end of the interval. */
    public void wake() {
        wake.release();
    }

    private void loop() {
        Duration wait = Duration.ZERO; // at start: work left by a previous process is taken at once
        try {
            while (!stopped) {
                if (wait.isPositive() && wake.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    wake.drainPermits();
                }
                if (stopped) {
                    return;
                }
                try {
                    while (!stopped && task.getAsInt() > 0) {
                        wake.drainPermits(); // what the wake-up asked for is being done
                    }
                    wait = interval;
                } catch (RuntimeException e) {
                    wait = wait.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF
                            : wait.isZero() ? interval : wait.multipliedBy(2);
                    if (!stopped) {
                        log.warn("{} failed; retrying in {} ms", name, wait.toMillis(), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops after the task in progress (a page commits or rolls back), waiting up to 10 s. */
    @Override
    public void close() {
        stopped = true;
        wake.release();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
            if (thread.isAlive()) {
                thread.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.runledger.core.internal.maintenance;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one maintenance task periodically on its own named thread: backs off on failure,
 * resets on success, reports each result to a hook (tests wait on it instead of sleeping),
 * and shuts down when closed.
 */
public final class MaintenanceLoop<R> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MaintenanceLoop.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final String name;
    private final Duration interval;
    private final Supplier<R> task;
    private final Consumer<R> onResult;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final Thread thread;

    public MaintenanceLoop(String name, Duration interval, Supplier<R> task, Consumer<R> onResult) {
        this.name = Objects.requireNonNull(name, "name");
        this.interval = Objects.requireNonNull(interval, "interval");
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("interval must be positive");
        }
        this.task = Objects.requireNonNull(task, "task");
        this.onResult = Objects.requireNonNull(onResult, "onResult");
        this.thread = Thread.ofPlatform().name("runledger-" + name).daemon(true).unstarted(this::loop);
    }

    public void start() {
        thread.start();
    }

    private void loop() {
        Duration wait = interval;
        try {
            while (!stop.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                try {
                    onResult.accept(task.get());
                    wait = interval;
                } catch (RuntimeException e) {
                    wait = wait.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait.multipliedBy(2);
                    log.warn("{} failed; retrying in {} ms", name, wait.toMillis(), e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped.complete(null);
        }
    }

    /** Asks the loop to stop; the future completes when its thread has exited. */
    public CompletableFuture<Void> shutdown() {
        stop.countDown();
        if (!thread.isAlive()) {
            stopped.complete(null);
        }
        return stopped;
    }

    @Override
    public void close() {
        try {
            shutdown().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            thread.interrupt();
        }
    }
}

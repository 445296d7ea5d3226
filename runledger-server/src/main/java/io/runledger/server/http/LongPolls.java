package io.runledger.server.http;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Long waits (worker lease polls, run waits, live streams) cut into slices of at most
 * {@link #SLICE}, so that a graceful shutdown does not sit out timeouts of up to minutes:
 * once {@link #drain()} is called, every wait returns after its current slice with what it
 * has. The engine re-reads the database every two seconds while it waits anyway, so the
 * slices cost no extra queries. Threads are never interrupted: an interrupted virtual
 * thread would close the pooled JDBC connection it is using.
 */
public final class LongPolls {
    public static final Duration SLICE = Duration.ofSeconds(2);

    private volatile boolean draining;

    public boolean draining() {
        return draining;
    }

    /** Ends every wait after its current slice, and makes new waits return at once. */
    public void drain() {
        draining = true;
    }

    /**
     * Calls {@code wait} with slices of the timeout until it returns an answer that is
     * {@code done}, the timeout has passed, or the server drains. Always calls it at least
     * once (with a zero wait if the timeout is zero or the server drains).
     */
    public <T> T await(Duration timeout, Function<Duration, T> wait, Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = Math.max(0, deadline - System.nanoTime());
            Duration slice = draining ? Duration.ZERO : Duration.ofNanos(Math.min(left, SLICE.toNanos()));
            T answer = wait.apply(slice);
            if (done.test(answer) || draining || deadline - System.nanoTime() <= 0) {
                return answer;
            }
        }
    }
}

package io.runledger.core.internal.notify;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one shape of every long wait in the engine: check the database, then block on the
 * wake-ups of what the wait is about, with no database access, until woken, a slow safety
 * re-check, the deadline or the end of the wait group. A NOTIFY is a wake-up only, so a lost
 * one costs at most {@link #RECHECK} of latency; a waiting request costs nothing meanwhile.
 */
public final class LongWait {
    /** Re-check without a wake-up this often, in case a notification was lost. */
    public static final Duration RECHECK = Duration.ofSeconds(20);

    private LongWait() {
    }

    /**
     * Calls {@code check} (always at least once) until its answer is {@code done}, the
     * timeout passes or the group ends; returns the last answer. The ticket for
     * {@code key} is taken before the first check, so a change committed between a check
     * and the wait still wakes it.
     */
    public static <T> T await(WakeUps wakeUps, String key, WaitGroup group, Duration timeout,
                              Supplier<T> check, Predicate<T> done) {
        return await(wakeUps, key, group, timeout, check, done, ticket -> { });
    }

    /** As above; {@code withTicket} is given the wait's ticket first, to wake this one wait with. */
    public static <T> T await(WakeUps wakeUps, String key, WaitGroup group, Duration timeout,
                              Supplier<T> check, Predicate<T> done, Consumer<WakeUps.Ticket> withTicket) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (WakeUps.Ticket ticket = wakeUps.ticket(key)) {
            withTicket.accept(ticket);
            WaitGroup.Membership membership = group.enter(ticket::abort);
            try {
                return awaitWith(ticket, group, deadline, check, done);
            } finally {
                membership.close();
            }
        }
    }

    private static <T> T awaitWith(WakeUps.Ticket ticket, WaitGroup group, long deadline, Supplier<T> check,
                                   Predicate<T> done) {
        T answer = check.get();
        while (!done.test(answer) && !group.ended()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            boolean woken;
            try {
                woken = ticket.await(Duration.ofNanos(Math.min(left, RECHECK.toNanos())));
            } catch (InterruptedException e) {
                // The caller gave up waiting; answer with what was read last rather than
                // touching the database with the interrupt flag set.
                Thread.currentThread().interrupt();
                return answer;
            }
            if (group.ended()) {
                break; // the server is stopping: answer with what was read last
            }
            if (!woken && deadline - System.nanoTime() <= 0) {
                break; // timed out with nothing new: no reason to read again
            }
            answer = check.get();
        }
        return answer;
    }
}

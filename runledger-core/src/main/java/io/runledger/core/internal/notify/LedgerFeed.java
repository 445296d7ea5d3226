package io.runledger.core.internal.notify;

import io.runledger.api.EventFeed;
import io.runledger.api.EventPage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@link EventFeed} over the ledger: reads a page, then waits on the run's ticket. A feed
 * reads only when its run is woken (or a full page says more is there), plus a slow safety
 * re-check in case a notification was lost: {@link #RECHECK}, longer than a single wait's,
 * since feeds are held open by the thousand (10,000 streams re-checking every 20 s would be
 * 500 reads a second for nothing) and spread with a jitter so feeds opened together do not
 * re-check together.
 */
public final class LedgerFeed implements EventFeed {
    /** Re-check without a wake-up after this long (plus up to {@link #RECHECK_JITTER}). */
    public static final Duration RECHECK = Duration.ofMinutes(2);
    static final Duration RECHECK_JITTER = Duration.ofSeconds(30);

    /** Reads a page of events after a seq (the ledger's query). */
    @FunctionalInterface
    public interface Reader {
        EventPage after(long seq);
    }

    private final Reader opener;
    private final Reader reader;
    private final int limit;
    private final WaitGroup group;
    private final WakeUps.Ticket ticket;
    private final WaitGroup.Membership membership;
    private long after;
    private boolean stale = true; // read before waiting: at the start, after a wake-up, after a full page
    private long nextRecheck;
    private EventPage first; // read by start(), handed out by the first next()

    /**
     * Takes the ticket before the first read, so no append after it is missed. {@code opener}
     * reads the first page (and may check that the run exists), {@code reader} every later one.
     */
    public LedgerFeed(WakeUps wakeUps, String key, WaitGroup group, long after, int limit, Reader opener,
                      Reader reader) {
        this.opener = opener;
        this.reader = reader;
        this.limit = limit;
        this.group = group;
        this.after = after;
        this.ticket = wakeUps.ticket(key);
        this.membership = group.enter(ticket::abort);
    }

    /**
     * Reads the first page now, so that a feed of a run that does not exist fails when it is
     * opened (the reader's not-found) at no extra round trip; the first {@link #next} hands
     * that page out.
     */
    public LedgerFeed start() {
        try {
            first = read(opener);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    @Override
    public EventPage next(Duration maxWait) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        if (first != null) {
            EventPage page = first;
            first = null;
            if (!page.items().isEmpty()) {
                return page;
            }
        }
        while (true) {
            if (stale || System.nanoTime() - nextRecheck >= 0) {
                EventPage page = read(reader);
                if (!page.items().isEmpty()) {
                    return page;
                }
            }
            long now = System.nanoTime();
            if (group.ended() || deadline - now <= 0) {
                return empty();
            }
            try {
                stale = ticket.await(Duration.ofNanos(Math.min(deadline - now, nextRecheck - now)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return empty();
            }
        }
    }

    private EventPage read(Reader source) {
        EventPage page = source.after(after);
        nextRecheck = System.nanoTime() + RECHECK.toNanos()
                + ThreadLocalRandom.current().nextLong(RECHECK_JITTER.toNanos());
        stale = page.items().size() >= limit; // a full page: more may be there already
        if (!page.items().isEmpty()) {
            after = page.nextAfter();
        }
        return page;
    }

    private EventPage empty() {
        return new EventPage(List.of(), after);
    }

    @Override
    public void close() {
        membership.close();
        ticket.close();
    }
}

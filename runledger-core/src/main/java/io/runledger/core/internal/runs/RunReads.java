package io.runledger.core.internal.runs;

import io.runledger.core.internal.kernel.Cursors;
import io.runledger.api.EventFeed;
import io.runledger.api.EventPage;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidNameException;
import io.runledger.api.NotFoundException;
import io.runledger.api.Page;
import io.runledger.api.Run;
import io.runledger.api.RunEvent;
import io.runledger.api.RunFilter;
import io.runledger.api.Timestamps;
import io.runledger.core.internal.kernel.Limits;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.notify.LedgerFeed;
import io.runledger.core.internal.notify.LongWait;
import io.runledger.core.internal.notify.WaitGroup;
import io.runledger.core.internal.notify.WakeUps;
import io.runledger.core.internal.store.EventStore;
import io.runledger.core.internal.store.RunStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** Reads: a run, a page of runs, a page of events, and waiting for a run to settle. */
public final class RunReads {
    public static final int MAX_EVENTS_PAGE = 1000;
    public static final Duration MAX_AWAIT = Duration.ofSeconds(300);

    private final Tx tx;
    private final RunStore store;
    private final EventStore ledger;
    private final WakeUps wakeUps;

    public RunReads(Tx tx, RunStore store, EventStore ledger, WakeUps wakeUps) {
        this.tx = tx;
        this.store = store;
        this.ledger = ledger;
        this.wakeUps = wakeUps;
    }

    public Run get(String scope, String runId) {
        InvalidNameException.requireValid("scope", scope);
        return tx.read(h -> store.runGet(h, scope, runId)).orElseThrow(() -> NotFoundException.run(runId)).run();
    }

    public Page<Run> list(String scope, RunFilter filter) {
        InvalidNameException.requireValid("scope", scope);
        Cursors.Position at = Cursors.decode(filter.cursor());
        Instant createdAt = at == null ? null : at.createdAt();
        String runId = at == null ? null : at.id();
        List<Run> rows = tx.read(h -> store.runsList(h, scope, filter, createdAt, runId));
        if (rows.size() <= filter.limit()) {
            return new Page<>(rows, null);
        }
        List<Run> page = rows.subList(0, filter.limit());
        Run last = page.get(page.size() - 1);
        return new Page<>(page, Cursors.encode(last.createdAt(), last.runId()));
    }

    public EventPage events(String scope, String runId, long after, int limit) {
        InvalidNameException.requireValid("scope", scope);
        if (after < 0) {
            throw new InvalidArgumentException("after must be 0 or more");
        }
        Limits.range("limit", limit, 1, MAX_EVENTS_PAGE);
        List<RunEvent> events = tx.read(h -> {
            List<RunEvent> page = ledger.eventsList(h, scope, runId, after, limit);
            if (page.isEmpty() && !store.runExists(h, scope, runId)) {
                throw NotFoundException.run(runId);
            }
            return page;
        });
        long next = events.isEmpty() ? after : events.get(events.size() - 1).seq();
        return new EventPage(events, next);
    }

    /**
     * Events with seq greater than {@code after}, waiting up to {@code timeout} for at least
     * one to be appended (woken by NOTIFY, re-checking the ledger only as a slow safety net).
     * An empty page means none arrived in time or the group ended.
     */
    public EventPage eventsAwait(String scope, String runId, long after, int limit, Duration timeout,
                                 WaitGroup group) {
        return LongWait.await(wakeUps, WakeUps.eventsKey(scope, runId), group, timeout,
                () -> events(scope, runId, after, limit), page -> !page.items().isEmpty());
    }

    /** A live feed of the run's events after {@code after}; see {@link EventFeed}. */
    public EventFeed follow(String scope, String runId, long after, int limit, WaitGroup group) {
        // The first read happens now, through events(), which checks the scope, after and limit
        // and refuses a run that does not exist: a stream that cannot start fails here. Later
        // reads only list events: an empty page no longer costs a second query for the run.
        return new LedgerFeed(wakeUps, WakeUps.eventsKey(scope, runId), group, after, limit,
                seq -> events(scope, runId, seq, limit), seq -> eventsAfter(scope, runId, seq, limit)).start();
    }

    private EventPage eventsAfter(String scope, String runId, long after, int limit) {
        List<RunEvent> events = tx.read(h -> ledger.eventsList(h, scope, runId, after, limit));
        return new EventPage(events, events.isEmpty() ? after : events.get(events.size() - 1).seq());
    }

    /**
     * Long-polls until the run is terminal, woken by its events; returns its state then (or
     * when the timeout passes or the group ends).
     */
    public Run await(String scope, String runId, Duration timeout, WaitGroup group) {
        if (timeout.isNegative() || timeout.compareTo(MAX_AWAIT) > 0) {
            throw new InvalidArgumentException("timeoutSeconds must be between 0 and " + MAX_AWAIT.toSeconds());
        }
        return LongWait.await(wakeUps, WakeUps.eventsKey(scope, runId), group, timeout,
                () -> get(scope, runId), run -> run.status().isTerminal());
    }
}

package io.runledger.core.internal.maintenance;

import io.runledger.api.RetentionResult;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.store.RetentionStore;
import io.runledger.core.internal.store.RetentionStore.Candidate;
import io.runledger.core.internal.store.RetentionStore.Kept;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Deletes terminal runs past their service's {@code retentionDays}, each with its whole
 * ledger and everything that belongs to it, webhook deliveries that were delivered or died
 * more than 7 days ago, bulk actions (with their snapshots) finished more than 7 days ago, and
 * expired run access tokens. Nothing non-terminal is ever deleted, and no event is deleted
 * but with its whole terminal run: the ledger stays append-only for every run that exists.
 *
 * <p>Each transaction is bounded ({@value #MAX_RUNS} runs, {@value #MAX_EVENTS} events) and
 * takes its runs with SKIP LOCKED, so any number of instances share the work and none waits
 * on another. The pass paces itself: after each transaction it rests as long as that
 * transaction took, so while it catches up on a backlog it uses at most half of one
 * connection, and triggers and workers on the same tables keep their latency. A pass ends
 * when nothing is left or after {@code passTime}; the background loop runs the next one.
 */
public final class Retention {
    static final int MAX_RUNS = 1_000;
    static final int MAX_EVENTS = 50_000;
    static final int MAX_DELIVERIES = 1_000;
    /** One snapshot may hold 100,000 run ids. */
    static final int MAX_BULK_ACTIONS = 1;
    static final int MAX_ACCESS_TOKENS = 1_000;
    /** The longest a background pass runs. */
    public static final Duration MAX_PASS = Duration.ofSeconds(2);

    private final Tx tx;
    private final RetentionStore store;
    private final Duration passTime;
    private int passes;

    public Retention(Tx tx, RetentionStore store, Duration passTime) {
        this.tx = tx;
        this.store = store;
        this.passTime = passTime;
    }

    public RetentionResult runOnce() {
        long deadline = System.nanoTime() + passTime.toNanos();
        RetentionResult total = RetentionResult.NONE;
        // One transaction of each service in turn, then of old deliveries and of finished bulk
        // actions, round after round: a service with a large backlog cannot keep the others
        // waiting, and each pass starts one further along, so the same ones are not always first.
        List<Work> work = new ArrayList<>();
        for (Kept service : tx.read(store::services)) {
            work.add(() -> {
                RetentionResult r = tx.run((h, changes) -> deleteBatch(h, service));
                return new Done(r, r.runs() > 0);
            });
        }
        work.add(() -> {
            long purged = tx.run((h, changes) -> store.deliveriesPurgeSettled(h, MAX_DELIVERIES));
            return new Done(new RetentionResult(0, 0, purged), purged >= MAX_DELIVERIES);
        });
        // finished bulk actions are no run data: purged, not counted in the result
        work.add(() -> new Done(RetentionResult.NONE,
                tx.run((h, changes) -> store.bulkActionsPurgeFinished(h, MAX_BULK_ACTIONS)) >= MAX_BULK_ACTIONS));
        // expired run access tokens are no run data either
        work.add(() -> new Done(RetentionResult.NONE,
                tx.run((h, changes) -> store.accessTokensPurgeExpired(h, MAX_ACCESS_TOKENS)) >= MAX_ACCESS_TOKENS));
        Collections.rotate(work, -(passes++ % work.size()));
        while (!work.isEmpty()) {
            for (Iterator<Work> it = work.iterator(); it.hasNext(); ) {
                long started = System.nanoTime();
                Done done = it.next().next();
                tx.listener().retentionDeleted(done.deleted());
                total = total.plus(done.deleted());
                if (!done.more()) {
                    it.remove();
                }
                if (!pace(started, deadline)) {
                    return total;
                }
            }
        }
        return total;
    }

    /** One kind of deletion: one transaction of it. */
    private interface Work {
        Done next();
    }

    /** What one transaction deleted, and whether more of its kind is left. */
    private record Done(RetentionResult deleted, boolean more) {
    }

    /**
     * One transaction: the service's oldest deletable runs, cut to the event bound (at least
     * one run, however long its ledger: a run is deleted whole or not at all).
     */
    private RetentionResult deleteBatch(org.jdbi.v3.core.Handle h, Kept service) {
        List<Candidate> candidates = store.candidates(h, service, MAX_RUNS);
        List<Candidate> taken = new ArrayList<>();
        long events = 0;
        for (Candidate c : candidates) {
            if (!taken.isEmpty() && events + c.events() > MAX_EVENTS) {
                break;
            }
            taken.add(c);
            events += c.events();
        }
        if (taken.isEmpty()) {
            return RetentionResult.NONE;
        }
        RetentionStore.Deleted d = store.delete(h, service.scope(), service.service(), taken);
        return new RetentionResult(d.runs(), d.events(), d.deliveries());
    }

    /** Rests as long as the last transaction took; false when the pass is out of time or interrupted. */
    private static boolean pace(long started, long deadline) {
        long took = System.nanoTime() - started;
        if (System.nanoTime() + took - deadline >= 0) {
            return false;
        }
        LockSupport.parkNanos(took);
        return !Thread.currentThread().isInterrupted();
    }
}

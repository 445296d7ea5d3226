package io.runledger.core.internal.runs;

import io.runledger.api.EventDraft;
import io.runledger.api.Lease;
import io.runledger.api.Receipt;
import io.runledger.api.Run;
import io.runledger.api.RunStatus;
import io.runledger.core.internal.kernel.ServiceCache;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.notify.WaitingPolls;
import io.runledger.core.internal.store.ClaimedKey;
import io.runledger.core.internal.store.IdempotencyClaim;
import io.runledger.core.internal.store.IdempotencyStore;
import io.runledger.core.internal.store.RunInsert;
import io.runledger.core.internal.store.RunStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;

/**
 * Group commit of single triggers. Triggers that arrive while a commit is in flight wait
 * for it and are then written together: one statement, one transaction, one fsync, one
 * NOTIFY per scope. A caller that finds no commit in flight becomes the leader and commits
 * what has queued up (its own trigger among them) at once, so a lone trigger waits for
 * nothing; the batching comes only from load, as in PostgreSQL's own WAL group flush.
 *
 * <p>Every trigger is answered only after the transaction holding it committed (a receipt
 * still means durable). If a group's transaction fails, no item of it was written, and each
 * is then written alone in its own transaction: an item the database refuses fails only
 * itself, never its neighbours.
 *
 * <p>Runs due at once without a concurrency key or a parent come here (their other checks
 * happened before, in memory); the others need per-trigger locks and reads and keep their
 * own transaction. Idempotency keys are claimed for the whole group in one statement: a
 * trigger whose key is already taken (a replay, or a reuse to refuse), or that repeats a key
 * of its own group, is answered after the group's commit by the single trigger's path,
 * which then finds the key committed and answers as it always does.
 *
 * <p>A plain run whose service a lease poll of this instance waits for is handed to that
 * poll ({@link WaitingPolls}): the same statement writes it leased, and the poll answers with
 * it once the statement committed. A group without idempotency keys is that one statement,
 * run in autocommit: no BEGIN and COMMIT round trips.
 */
final class TriggerGroup {
    static final int MAX_ITEMS = 500;

    private final Tx tx;
    private final RunStore store;
    private final IdempotencyStore idempotency;
    private final long idempotencyTtlSeconds;
    private final int parallel;
    private final StopHook stops;
    private final WaitingPolls polls;
    private final ServiceCache serviceCache;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition committed = lock.newCondition();
    private final ArrayDeque<Item> queue = new ArrayDeque<>(); // guarded by lock
    private int committing; // guarded by lock

    /**
     * Cancels, in the group's transaction, a run just written whose key held a stop recorded
     * before it; returns the run as cancelled.
     */
    @FunctionalInterface
    interface StopHook {
        Run cancel(Handle h, Tx.Changes changes, String scope, String runId, String reason);
    }

    /**
     * @param parallel how many group transactions may be in flight at once
     * @param stops    cancels the runs whose key held a stop
     * @param polls    the lease polls waiting on this instance, to hand runs to
     */
    TriggerGroup(Tx tx, RunStore store, IdempotencyStore idempotency, long idempotencyTtlSeconds, int parallel,
                 StopHook stops, WaitingPolls polls, ServiceCache serviceCache) {
        this.stops = stops;
        this.polls = polls;
        this.serviceCache = serviceCache;
        this.tx = tx;
        this.store = store;
        this.idempotency = idempotency;
        this.idempotencyTtlSeconds = idempotencyTtlSeconds;
        this.parallel = parallel;
    }

    /**
     * One trigger waiting to be written: its run, its accepted event, its idempotency claim
     * (or null), the single trigger's path to answer it alone, then its answer.
     */
    private static final class Item {
        final RunInsert run;
        final EventDraft accepted;
        final IdempotencyClaim claim;
        final Supplier<Receipt> alone;
        Receipt receipt; // guarded by lock once queued
        RuntimeException failure;
        boolean done;

        Item(RunInsert run, EventDraft accepted, IdempotencyClaim claim, Supplier<Receipt> alone) {
            this.run = run;
            this.accepted = accepted;
            this.claim = claim;
            this.alone = alone;
        }

        String claimKey() {
            return claim.scope() + '\u0000' + claim.service() + '\u0000' + claim.key();
        }
    }

    /**
     * Writes the run with the next group and returns its receipt once that committed.
     * {@code alone} is the single trigger's transaction, for when the group cannot answer it.
     */
    Receipt trigger(RunInsert run, EventDraft accepted, IdempotencyClaim claim, Supplier<Receipt> alone) {
        Item item = new Item(run, accepted, claim, alone);
        lock.lock();
        try {
            queue.add(item);
            while (!item.done) {
                if (committing < parallel && !queue.isEmpty()) {
                    List<Item> group = new ArrayList<>(Math.min(queue.size(), MAX_ITEMS));
                    while (!queue.isEmpty() && group.size() < MAX_ITEMS) {
                        group.add(queue.poll());
                    }
                    committing++;
                    lock.unlock();
                    try {
                        commit(group);
                    } finally {
                        lock.lock();
                        committing--;
                        committed.signalAll();
                    }
                } else {
                    committed.awaitUninterruptibly();
                }
            }
        } finally {
            lock.unlock();
        }
        if (item.failure != null) {
            throw item.failure;
        }
        return item.receipt;
    }

    /** Writes the group; never throws, each item carries its own answer. */
    private void commit(List<Item> group) {
        List<Item> later;
        try {
            later = write(group);
        } catch (RuntimeException e) {
            if (group.size() == 1) {
                answer(group.get(0), null, e);
                return;
            }
            // Nothing of the group was written: each item alone, so only a bad one fails.
            later = group;
        }
        for (Item item : later) {
            try {
                answer(item, item.alone.get(), null);
            } catch (RuntimeException e) {
                answer(item, null, e);
            }
        }
    }

    /**
     * Writes what the group can write in one transaction and answers those items after the
     * commit; returns the items left to answer alone (a key taken before, or twice in the
     * group).
     */
    private List<Item> write(List<Item> items) {
        List<Item> later = new ArrayList<>();
        List<Item> keyed = new ArrayList<>();
        List<Item> plain = new ArrayList<>();
        Set<String> keysSeen = new HashSet<>();
        for (Item i : items) {
            if (i.claim == null) {
                plain.add(i);
            } else if (keysSeen.add(i.claimKey())) {
                keyed.add(i);
            } else {
                later.add(i);
            }
        }
        keyed.sort(Comparator.comparing(Item::claimKey));
        Set<String> scopes = new LinkedHashSet<>();
        for (Item i : items) {
            scopes.add(i.run.scope());
        }
        List<String> notifications = scopes.stream().map(Tx.Changes::workPayload).toList();
        List<Item> written = new ArrayList<>(plain);
        // A plain run whose service a lease poll of this instance waits for is handed to it.
        List<RunStore.WorkerLease> handTo = new ArrayList<>(plain.size());
        List<WaitingPolls.Offer> offers = new ArrayList<>(plain.size());
        for (Item i : plain) {
            WaitingPolls.Offer offer = handable(i.run) ? polls.take(i.run.scope(), i.run.service()) : null;
            offers.add(offer);
            handTo.add(offer == null ? null : new RunStore.WorkerLease(offer.workerId(), UUID.randomUUID().toString()));
        }
        try {
            // Without keys to claim the group is one statement: no transaction around it.
            Tx.Work<Written> work = (h, changes) -> {
                Map<String, ClaimedKey> claimed = Map.of();
                if (!keyed.isEmpty()) {
                    claimed = idempotency.idempotencyClaimAll(h,
                            keyed.stream().map(i -> i.claim).toList(), idempotencyTtlSeconds);
                    for (Item i : keyed) {
                        (claimed.containsKey(i.run.runId()) ? written : later).add(i);
                    }
                }
                if (written.isEmpty()) {
                    return new Written(List.of(), List.of());
                }
                List<RunStore.WorkerLease> to = new ArrayList<>(handTo);
                while (to.size() < written.size()) {
                    to.add(null);
                }
                // New work wakes the scope's workers. No event wake-up per run: no one can be
                // streaming a run whose id is only learned from this receipt.
                List<RunStore.InsertedRun> rows = store.runsInsert(h, written.stream().map(i -> i.run).toList(),
                        written.stream().map(i -> i.accepted).toList(), to, notifications);
                Map<List<String>, Integer> perService = new LinkedHashMap<>();
                written.forEach(i -> perService.merge(List.of(i.run.scope(), i.run.service()), 1, Integer::sum));
                perService.forEach((k, n) -> changes.triggered(k.get(0), k.get(1), n));
                List<Receipt> answers = new ArrayList<>(rows.size());
                for (RunStore.InsertedRun row : rows) {
                    answers.add(row.receipt());
                    if (row.receipt().status() == RunStatus.RUNNING) {
                        changes.started(row.receipt().scope(), row.receipt().service());
                    }
                }
                // Queued runs wake the polls of this instance (the statement sent the NOTIFY
                // for the others); a run handed to a poll wakes no one.
                if (rows.stream().anyMatch(r -> r.receipt().status() != RunStatus.RUNNING)) {
                    scopes.forEach(changes::workNotified);
                }
                // A key that held a stop: its run is cancelled in this transaction, so no other
                // transaction (a lease, a read) ever sees it queued.
                for (int i = 0; i < written.size(); i++) {
                    ClaimedKey key = written.get(i).claim == null ? null : claimed.get(written.get(i).run.runId());
                    if (key != null && key.stopped()) {
                        Run run = stops.cancel(h, changes, written.get(i).run.scope(), written.get(i).run.runId(),
                                key.stopReason());
                        answers.set(i, TriggerOps.receipt(run, false));
                    }
                }
                return new Written(answers, rows);
            };
            Written w = keyed.isEmpty() ? tx.runStatement(work) : tx.run(work);
            handOver(offers, handTo, plain, w.rows());
            for (int i = 0; i < written.size(); i++) {
                answer(written.get(i), w.answers().get(i), null);
            }
        } finally {
            // Not committed (or not written leased): the polls go on waiting as if not offered.
            for (WaitingPolls.Offer offer : offers) {
                if (offer != null && offer.taken()) {
                    offer.release();
                }
            }
        }
        return later;
    }

    /** A run a poll may take at once: its service's limit (none) is known in memory. */
    private boolean handable(RunInsert run) {
        return serviceCache.limits(run.scope(), List.of(run.service()))
                .map(limits -> !limits.containsKey(run.service())).orElse(false);
    }

    /** What a group's transaction wrote: each written item's answer and row, in order. */
    private record Written(List<Receipt> answers, List<RunStore.InsertedRun> rows) {
    }

    /**
     * After the commit: each poll whose run was written leased gets its lease (the plain items
     * come first among the rows); the others are released.
     */
    private static void handOver(List<WaitingPolls.Offer> offers, List<RunStore.WorkerLease> handTo, List<Item> plain,
                                 List<RunStore.InsertedRun> rows) {
        for (int i = 0; i < offers.size(); i++) {
            WaitingPolls.Offer offer = offers.get(i);
            if (offer == null) {
                continue;
            }
            RunStore.InsertedRun row = rows.get(i);
            if (row.receipt().status() == RunStatus.RUNNING) {
                offer.fill(new Lease(row.receipt().runId(), row.receipt().service(), plain.get(i).run.input(), 1,
                        handTo.get(i).leaseToken(), row.leaseExpiresAt(), null, null, true));
            } else {
                offer.release();
            }
        }
    }

    private void answer(Item item, Receipt receipt, RuntimeException failure) {
        lock.lock();
        try {
            item.receipt = receipt;
            item.failure = failure;
            item.done = true;
            committed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}

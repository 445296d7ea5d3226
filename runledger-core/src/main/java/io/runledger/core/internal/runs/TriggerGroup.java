package io.runledger.core.internal.runs;

import io.runledger.api.EventDraft;
import io.runledger.api.Receipt;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.store.RunInsert;
import io.runledger.core.internal.store.RunStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

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
 * <p>Only immediate runs without idempotency or concurrency key or parent come here (their
 * checks all happened before, in memory); the others need per-trigger reads and locks and
 * keep their own transaction.
 */
final class TriggerGroup {
    static final int MAX_ITEMS = 500;

    private final Tx tx;
    private final RunStore store;
    private final int parallel;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition committed = lock.newCondition();
    private final ArrayDeque<Item> queue = new ArrayDeque<>(); // guarded by lock
    private int committing; // guarded by lock
    private final LongAdder groups = new LongAdder();
    private final LongAdder isolated = new LongAdder();

    /** @param parallel how many group transactions may be in flight at once */
    TriggerGroup(Tx tx, RunStore store, int parallel) {
        this.tx = tx;
        this.store = store;
        this.parallel = parallel;
    }

    /** One trigger waiting to be written: its run, its accepted event, then its answer. */
    private static final class Item {
        final RunInsert run;
        final EventDraft accepted;
        Receipt receipt; // guarded by lock once queued
        RuntimeException failure;
        boolean done;

        Item(RunInsert run, EventDraft accepted) {
            this.run = run;
            this.accepted = accepted;
        }
    }

    /** Writes the run with the next group and returns its receipt once that committed. */
    Receipt trigger(RunInsert run, EventDraft accepted) {
        Item item = new Item(run, accepted);
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

    /** Groups committed so far, and how many of them failed and were written item by item. */
    long groups() {
        return groups.sum();
    }

    long isolatedGroups() {
        return isolated.sum();
    }

    /** Writes the group; never throws, each item carries its own answer. */
    private void commit(List<Item> group) {
        groups.increment();
        List<Receipt> receipts = null;
        RuntimeException failure = null;
        try {
            receipts = write(group);
        } catch (RuntimeException e) {
            failure = e;
        }
        if (receipts != null || group.size() == 1) {
            answer(group, receipts, failure);
            return;
        }
        // Nothing of the group was written: write each alone, so only a bad one fails.
        isolated.increment();
        for (Item item : group) {
            try {
                answer(List.of(item), write(List.of(item)), null);
            } catch (RuntimeException e) {
                answer(List.of(item), null, e);
            }
        }
    }

    private List<Receipt> write(List<Item> items) {
        List<RunInsert> runs = new ArrayList<>(items.size());
        List<EventDraft> events = new ArrayList<>(items.size());
        Set<String> scopes = new LinkedHashSet<>();
        Map<List<String>, Integer> perService = new LinkedHashMap<>();
        for (Item i : items) {
            runs.add(i.run);
            events.add(i.accepted);
            scopes.add(i.run.scope());
            perService.merge(List.of(i.run.scope(), i.run.service()), 1, Integer::sum);
        }
        List<String> notifications = scopes.stream().map(Tx.Changes::workPayload).toList();
        return tx.run((h, changes) -> {
            // New work wakes the scope's workers. No event wake-up per run: no one can be
            // streaming a run whose id is only learned from this receipt.
            List<Receipt> receipts = store.runsInsert(h, runs, events, notifications);
            scopes.forEach(changes::workNotified);
            perService.forEach((k, n) -> changes.triggered(k.get(0), k.get(1), n));
            return receipts;
        });
    }

    private void answer(List<Item> items, List<Receipt> receipts, RuntimeException failure) {
        lock.lock();
        try {
            for (int i = 0; i < items.size(); i++) {
                Item item = items.get(i);
                item.receipt = receipts == null ? null : receipts.get(i);
                item.failure = failure;
                item.done = true;
            }
            committed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}

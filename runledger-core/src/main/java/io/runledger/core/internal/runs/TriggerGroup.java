package io.runledger.core.internal.runs;

import io.runledger.api.EventDraft;
import io.runledger.api.Lease;
import io.runledger.api.Receipt;
import io.runledger.api.Run;
import io.runledger.api.RunStatus;
import io.runledger.core.internal.kernel.GroupCommit;
import io.runledger.core.internal.kernel.GroupCommit.Entry;
import io.runledger.core.internal.kernel.ServiceCache;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.notify.WaitingPolls;
import io.runledger.core.internal.store.ClaimedKey;
import io.runledger.core.internal.store.IdempotencyClaim;
import io.runledger.core.internal.store.IdempotencyStore;
import io.runledger.core.internal.store.RunInsert;
import io.runledger.core.internal.store.RunStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
    private final StopHook stops;
    private final WaitingPolls polls;
    private final ServiceCache serviceCache;
    private final GroupCommit<Item, Receipt> groups;

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
        this.groups = new GroupCommit<>(parallel, MAX_ITEMS, item -> 1, (group, item) -> true, this::commit);
    }

    /**
     * One trigger waiting to be written: its run, its accepted event, its idempotency claim
     * (or null), and the single trigger's path to answer it alone.
     */
    private record Item(RunInsert run, EventDraft accepted, IdempotencyClaim claim, Supplier<Receipt> alone) {
        String claimKey() {
            return claim.scope() + '\u0000' + claim.service() + '\u0000' + claim.key();
        }
    }

    /**
     * Writes the run with the next group and returns its receipt once that committed.
     * {@code alone} is the single trigger's transaction, for when the group cannot answer it.
     */
    Receipt trigger(RunInsert run, EventDraft accepted, IdempotencyClaim claim, Supplier<Receipt> alone) {
        return groups.submit(new Item(run, accepted, claim, alone));
    }

    /** Writes the group; never throws, each item carries its own answer. */
    private void commit(List<Entry<Item, Receipt>> group) {
        List<Entry<Item, Receipt>> later;
        try {
            later = write(group);
        } catch (RuntimeException e) {
            if (group.size() == 1) {
                group.get(0).fail(e);
                return;
            }
            // Nothing of the group was written: each item alone, so only a bad one fails.
            later = group;
        }
        for (Entry<Item, Receipt> item : later) {
            try {
                item.answer(item.item().alone().get());
            } catch (RuntimeException e) {
                item.fail(e);
            }
        }
    }

    /**
     * Writes what the group can write in one transaction and answers those items after the
     * commit; returns the items left to answer alone (a key taken before, or twice in the
     * group).
     */
    private List<Entry<Item, Receipt>> write(List<Entry<Item, Receipt>> items) {
        List<Entry<Item, Receipt>> later = new ArrayList<>();
        List<Entry<Item, Receipt>> keyed = new ArrayList<>();
        List<Entry<Item, Receipt>> plain = new ArrayList<>();
        Set<String> keysSeen = new HashSet<>();
        for (Entry<Item, Receipt> i : items) {
            if (i.item().claim() == null) {
                plain.add(i);
            } else if (keysSeen.add(i.item().claimKey())) {
                keyed.add(i);
            } else {
                later.add(i);
            }
        }
        keyed.sort(Comparator.comparing(i -> i.item().claimKey()));
        Set<String> scopes = new LinkedHashSet<>();
        for (Entry<Item, Receipt> i : items) {
            scopes.add(i.item().run().scope());
        }
        List<String> notifications = scopes.stream().map(Tx.Changes::workPayload).toList();
        List<Entry<Item, Receipt>> written = new ArrayList<>(plain);
        // A plain run whose service a lease poll of this instance waits for is handed to it.
        List<RunStore.WorkerLease> handTo = new ArrayList<>(plain.size());
        List<WaitingPolls.Offer> offers = new ArrayList<>(plain.size());
        for (Entry<Item, Receipt> i : plain) {
            WaitingPolls.Offer offer = handable(i.item().run()) ? polls.take(i.item().run().scope(), i.item().run().service()) : null;
            offers.add(offer);
            handTo.add(offer == null ? null : new RunStore.WorkerLease(offer.workerId(), UUID.randomUUID().toString()));
        }
        try {
            // Without keys to claim the group is one statement: no transaction around it.
            Tx.Work<Written> work = (h, changes) -> {
                Map<String, ClaimedKey> claimed = Map.of();
                if (!keyed.isEmpty()) {
                    claimed = idempotency.idempotencyClaimAll(h,
                            keyed.stream().map(i -> i.item().claim()).toList(), idempotencyTtlSeconds);
                    for (Entry<Item, Receipt> i : keyed) {
                        (claimed.containsKey(i.item().run().runId()) ? written : later).add(i);
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
                List<RunStore.InsertedRun> rows = store.runsInsert(h, written.stream().map(i -> i.item().run()).toList(),
                        written.stream().map(i -> i.item().accepted()).toList(), to, notifications);
                Map<List<String>, Integer> perService = new LinkedHashMap<>();
                written.forEach(i -> perService.merge(List.of(i.item().run().scope(), i.item().run().service()), 1, Integer::sum));
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
                    ClaimedKey key = written.get(i).item().claim() == null ? null : claimed.get(written.get(i).item().run().runId());
                    if (key != null && key.stopped()) {
                        Run run = stops.cancel(h, changes, written.get(i).item().run().scope(), written.get(i).item().run().runId(),
                                key.stopReason());
                        answers.set(i, TriggerOps.receipt(run, false));
                    }
                }
                return new Written(answers, rows);
            };
            Written w = keyed.isEmpty() ? tx.runStatement(work) : tx.run(work);
            handOver(offers, handTo, plain, w.rows());
            for (int i = 0; i < written.size(); i++) {
                written.get(i).answer(w.answers().get(i));
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
    private static void handOver(List<WaitingPolls.Offer> offers, List<RunStore.WorkerLease> handTo,
                                 List<Entry<Item, Receipt>> plain, List<RunStore.InsertedRun> rows) {
        for (int i = 0; i < offers.size(); i++) {
            WaitingPolls.Offer offer = offers.get(i);
            if (offer == null) {
                continue;
            }
            RunStore.InsertedRun row = rows.get(i);
            if (row.receipt().status() == RunStatus.RUNNING) {
                offer.fill(new Lease(row.receipt().runId(), row.receipt().service(), plain.get(i).item().run().input(), 1,
                        handTo.get(i).leaseToken(), row.leaseExpiresAt(), null, null, true));
            } else {
                offer.release();
            }
        }
    }

}

package io.runledger.core.internal.bulk;

import io.runledger.api.BulkAction;
import io.runledger.api.BulkActionKind;
import io.runledger.api.CancelResult;
import io.runledger.api.Receipt;
import io.runledger.api.RunLedgerException;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.runs.CancelOps;
import io.runledger.core.internal.runs.RunTrees;
import io.runledger.core.internal.store.BulkActionRow;
import io.runledger.core.internal.store.BulkActionStore;
import io.runledger.core.internal.store.BulkActionStore.Outcome;
import io.runledger.core.internal.store.BulkActionStore.PageRun;
import io.runledger.core.internal.store.RunStore;
import io.runledger.core.internal.store.StoredRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processes running bulk actions one page at a time. A page is one transaction: it locks the
 * oldest running action that no other instance holds ({@code FOR UPDATE SKIP LOCKED}), takes
 * its next runs in snapshot order, applies the action to each, records each run's outcome and
 * moves the action past them. Two instances therefore never take the same page, a cancel of
 * the action waits for the page in progress, and a crash mid-page rolls the whole page back,
 * so after a restart it is done once, as if for the first time.
 */
public final class BulkPages {
    private static final Logger log = LoggerFactory.getLogger(BulkPages.class);
    /** Runs per page (and per transaction). */
    public static final int PAGE_SIZE = 500;
    private static final String SAVEPOINT = "bulk_run";
    private static final int MAX_DETAIL = 500;

    private final Tx tx;
    private final BulkActionStore store;
    private final RunStore runs;
    private final CancelOps cancels;
    private final RunTrees trees;
    private final int pageSize;

    public BulkPages(Tx tx, BulkActionStore store, RunStore runs, CancelOps cancels, RunTrees trees) {
        this(tx, store, runs, cancels, trees, PAGE_SIZE);
    }

    BulkPages(Tx tx, BulkActionStore store, RunStore runs, CancelOps cancels, RunTrees trees, int pageSize) {
        this.tx = tx;
        this.store = store;
        this.runs = runs;
        this.cancels = cancels;
        this.trees = trees;
        this.pageSize = pageSize;
    }

    /** Processes up to {@code maxPages} pages, fewer when no running action is left; returns how many. */
    public int process(int maxPages) {
        int pages = 0;
        while (pages < maxPages) {
            Optional<BulkAction> after = tx.run(this::page);
            if (after.isEmpty()) {
                break;
            }
            pages++;
            BulkAction a = after.get();
            if (a.status().isFinal()) { // committed: the action is done
                log.info("bulk action {} ({}) in scope {} completed: matched={}, processed={}, skipped={}, failed={}",
                        a.bulkActionId(), a.action().wireName(), a.scope(), a.matched(), a.processed(), a.skipped(),
                        a.failed());
            }
        }
        return pages;
    }

    /** One page of the oldest free running action, answering the action after it; empty when there is none. */
    private Optional<BulkAction> page(Handle h, Tx.Changes changes) {
        long started = System.nanoTime();
        Optional<BulkActionRow> claimed = store.claim(h);
        if (claimed.isEmpty()) {
            return Optional.empty();
        }
        BulkAction action = claimed.get().action();
        String scope = action.scope();
        List<PageRun> page = store.page(h, scope, action.bulkActionId(), claimed.get().doneThrough(), pageSize);
        List<Outcome> outcomes = new ArrayList<>(page.size());
        int processed = 0;
        int skipped = 0;
        int failed = 0;
        // Runs are locked in run id order, as the engine's batched calls lock theirs (a worker's
        // completeAll of runs of this page waits for the page rather than deadlocking with it).
        List<PageRun> byRunId = page.stream().sorted(java.util.Comparator.comparing(PageRun::runId)).toList();
        for (PageRun run : byRunId) {
            Outcome outcome = applyIsolated(h, changes, action, run);
            outcomes.add(outcome);
            switch (outcome.outcome()) {
                case "processed" -> processed++;
                case "skipped" -> skipped++;
                default -> failed++;
            }
        }
        // an empty page (nothing left past done_through) completes the action all the same
        int doneThrough = page.isEmpty() ? (int) action.matched() : page.getLast().position();
        if (!outcomes.isEmpty()) {
            store.record(h, scope, action.bulkActionId(), outcomes);
        }
        BulkAction after = store.advance(h, scope, action.bulkActionId(), doneThrough, processed, skipped, failed)
                .action();
        log.debug("bulk action {} in scope {}: page of {} runs through position {} in {} ms", action.bulkActionId(),
                scope, page.size(), doneThrough, (System.nanoTime() - started) / 1_000_000);
        return Optional.of(after);
    }

    /**
     * The action applied to one run behind a savepoint: whatever fails for this run (it was
     * deleted, its service is gone, a statement failed) is undone and counted failed, and the
     * rest of the page goes on.
     */
    private Outcome applyIsolated(Handle h, Tx.Changes changes, BulkAction action, PageRun run) {
        h.savepoint(SAVEPOINT);
        try {
            Outcome outcome = apply(h, changes, action, run);
            h.releaseSavepoint(SAVEPOINT);
            return outcome;
        } catch (RuntimeException e) {
            h.rollbackToSavepoint(SAVEPOINT); // which also forgets it
            String code = e instanceof RunLedgerException r ? r.code() : "internal";
            return new Outcome(run.position(), "failed", clip(code + ": " + e.getMessage()));
        }
    }

    private Outcome apply(Handle h, Tx.Changes changes, BulkAction action, PageRun run) {
        String scope = action.scope();
        if (action.action() == BulkActionKind.REPLAY) {
            Receipt receipt = trees.replay(h, changes, scope, run.runId(), null, null);
            return new Outcome(run.position(), "processed", receipt.runId());
        }
        Optional<StoredRun> row = runs.runLock(h, scope, run.runId());
        if (row.isEmpty()) {
            return new Outcome(run.position(), "failed", "run_not_found: the run no longer exists");
        }
        if (row.get().run().status().isTerminal()) {
            return new Outcome(run.position(), "skipped", row.get().run().status().wireName());
        }
        String reason = action.reason() != null ? action.reason() : "bulk action " + action.bulkActionId();
        CancelResult result = cancels.stop(h, changes, scope, run.runId(), reason);
        return new Outcome(run.position(), "processed", result.settled() ? "cancelled" : "stop_requested");
    }

    private static String clip(String text) {
        return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL);
    }
}

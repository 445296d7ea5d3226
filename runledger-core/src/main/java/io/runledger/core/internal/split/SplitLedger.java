package io.runledger.core.internal.split;

import io.runledger.api.Admin;
import io.runledger.api.Batches;
import io.runledger.api.BulkActions;
import io.runledger.api.Ledger;
import io.runledger.api.Runs;
import io.runledger.api.Schedules;
import io.runledger.api.Signals;
import io.runledger.api.Waitpoints;
import io.runledger.api.Webhooks;
import io.runledger.api.Workers;
import io.runledger.core.internal.bulk.BulkOps;

/**
 * One ledger over the main and the runs database (see the package). Schedules are control
 * plane and stay on the main database; the runs they fire are created on the runs database.
 * Closing it closes both views (their long waits end).
 */
public final class SplitLedger implements Ledger {
    private final Stores stores;
    private final Runs runs;
    private final Workers workers;
    private final Signals signals;
    private final Batches batches;
    private final Webhooks webhooks;
    private final Waitpoints waitpoints;
    private final BulkActions bulkActions;
    private final Admin admin;

    public SplitLedger(Ledger main, Ledger onRuns, MainProbe probe, ControlPlaneMirror mirror, BulkOps runsBulk,
                       BulkOps mainBulk) {
        this.stores = new Stores(main, onRuns);
        this.runs = new SplitRuns(stores, probe);
        this.workers = new SplitWorkers(stores);
        this.signals = new SplitSignals(stores);
        this.batches = new SplitBatches(stores);
        this.webhooks = new SplitWebhooks(stores, mirror);
        this.waitpoints = new SplitWaitpoints(stores);
        this.bulkActions = new SplitBulkActions(stores, runsBulk, mainBulk);
        this.admin = new SplitAdmin(stores, mirror);
    }

    /** Which of the two a run, batch or waitpoint id lives in. */
    public Ledger storeOf(String id) {
        return stores.of(id);
    }

    @Override
    public Runs runs() {
        return runs;
    }

    @Override
    public Workers workers() {
        return workers;
    }

    @Override
    public Signals signals() {
        return signals;
    }

    @Override
    public Batches batches() {
        return batches;
    }

    @Override
    public Webhooks webhooks() {
        return webhooks;
    }

    @Override
    public Waitpoints waitpoints() {
        return waitpoints;
    }

    @Override
    public Schedules schedules() {
        return stores.main().schedules();
    }

    @Override
    public BulkActions bulkActions() {
        return bulkActions;
    }

    @Override
    public Admin admin() {
        return admin;
    }

    @Override
    public void close() {
        try {
            stores.runs().close();
        } finally {
            stores.main().close();
        }
    }
}

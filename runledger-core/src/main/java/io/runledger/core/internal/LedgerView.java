package io.runledger.core.internal;

import io.runledger.api.Waitpoints;
import io.runledger.api.Admin;
import io.runledger.api.Batches;
import io.runledger.api.BulkActions;
import io.runledger.api.Ledger;
import io.runledger.api.Runs;
import io.runledger.api.Schedules;
import io.runledger.api.Signals;
import io.runledger.api.Webhooks;
import io.runledger.api.Workers;
import io.runledger.core.internal.notify.WaitGroup;
import java.util.Set;

/**
 * The engine's operations as one {@link Ledger} whose long waits (run waits, lease polls,
 * feeds) belong to one {@link WaitGroup}: closing the view ends them at once, e.g. when a
 * server drains, without closing the engine.
 */
record LedgerView(Runs runs, Workers workers, Signals signals, Batches batches, Webhooks webhooks,
                  Waitpoints waitpoints, Schedules schedules, BulkActions bulkActions, Admin admin,
                  WaitGroup waits, Set<WaitGroup> open) implements Ledger {

    /** Ends the view's waits and forgets it (the engine no longer has to end them at close). */
    @Override
    public void close() {
        waits.end();
        open.remove(waits);
    }
}

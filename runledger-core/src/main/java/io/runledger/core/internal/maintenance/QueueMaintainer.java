package io.runledger.core.internal.maintenance;

import io.runledger.core.internal.waitpoints.Resumer;
import io.runledger.api.QueueResult;
import io.runledger.core.internal.kernel.KeyRelease;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.store.IdempotencyStore;
import io.runledger.core.internal.store.RunStore;
import io.runledger.core.internal.store.StoredRun;
import io.runledger.core.internal.store.StrandedKey;
import java.util.List;

/**
 * Time-driven queue changes: scheduled runs whose {@code runAt} came join the queue,
 * queued runs that outlived their TTL expire, expired idempotency keys are purged, and a
 * concurrency key left without a holder is handed to its oldest waiter, and waiting runs
 * whose waitpoints are done (durations come due, tokens timed out, suspends timed out, a
 * wake-up lost) move on.
 */
public final class QueueMaintainer {
    private final Tx tx;
    private final RunStore store;
    private final IdempotencyStore idempotency;
    private final KeyRelease keys;
    private final Resumer resumer;
    private final int batchSize;

    public QueueMaintainer(Tx tx, RunStore store, IdempotencyStore idempotency, KeyRelease keys, Resumer resumer,
                           int batchSize) {
        this.resumer = resumer;
        this.tx = tx;
        this.store = store;
        this.idempotency = idempotency;
        this.keys = keys;
        this.batchSize = batchSize;
    }

    public QueueResult runOnce() {
        QueueResult total = QueueResult.NONE;
        boolean[] more = {false};
        while (true) {
            QueueResult batch = tx.run((h, changes) -> {
                List<StoredRun> promoted = store.runsPromoteDue(h, batchSize);
                for (StoredRun row : promoted) {
                    changes.events(row.run().scope(), row.run().runId());
                    if (row.leasable()) {
                        changes.work(row.run().scope());
                    }
                }
                List<StoredRun> expired = store.runsExpire(h, batchSize);
                for (StoredRun row : expired) {
                    changes.events(row.run().scope(), row.run().runId());
                    changes.settled(row.run().scope(), row.run().service(), row.run().status());
                    keys.release(h, changes, row.run().scope(), row.run().concurrencyKey());
                }
                int repaired = 0;
                for (StrandedKey stranded : store.keysStranded(h, batchSize)) {
                    if (keys.release(h, changes, stranded.scope(), stranded.concurrencyKey())) {
                        repaired++;
                    }
                }
                int purged = idempotency.idempotencyKeysPurge(h, batchSize);
                // waits end on the same clock: durations, timeouts, and any wake-up that was lost
                Resumer.Pass waits = resumer.pass(h, changes, batchSize);
                more[0] = waits.finished() >= batchSize || waits.moved() >= batchSize;
                return new QueueResult(promoted.size(), expired.size(), repaired, purged, waits.moved());
            });
            total = total.plus(batch);
            if (batch.promoted() < batchSize && batch.expired() < batchSize && batch.idempotencyKeysPurged() < batchSize
                    && !more[0]) {
                return total;
            }
        }
    }
}

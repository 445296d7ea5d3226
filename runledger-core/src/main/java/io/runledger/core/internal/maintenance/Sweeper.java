package io.runledger.core.internal.maintenance;

import io.runledger.api.SweepResult;
import io.runledger.core.internal.kernel.KeyRelease;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.leases.AttemptEnds;
import io.runledger.core.internal.leases.AttemptOutcome;
import io.runledger.core.internal.store.EventStore;
import io.runledger.core.internal.store.RunStore;
import io.runledger.core.internal.store.StoredRun;
import java.util.List;

/**
 * Recovers runs whose lease expired (invariant 8), in batches: each batch is claimed by one
 * statement with SKIP LOCKED, so sweepers on several instances never recover the same run
 * twice, and ended by {@link AttemptEnds} (retry, fail or cancel, as {@link AttemptOutcome}
 * decides for a lease expiry).
 */
public final class Sweeper {
    private final Tx tx;
    private final RunStore store;
    private final KeyRelease keys;
    private final AttemptEnds attemptEnds;
    private final int batchSize;

    public Sweeper(Tx tx, RunStore store, EventStore events, KeyRelease keys, int batchSize) {
        this.tx = tx;
        this.store = store;
        this.keys = keys;
        this.attemptEnds = new AttemptEnds(store, events);
        this.batchSize = batchSize;
    }

    /** Sweeps until no expired lease is left (or another sweeper holds the rest). */
    public SweepResult runOnce() {
        SweepResult total = SweepResult.NONE;
        while (true) {
            SweepResult batch = tx.run((h, changes) -> {
                List<StoredRun> rescued = attemptEnds.end(h, store.runsLeaseExpiredLock(h, batchSize),
                        AttemptOutcome.LEASE_EXPIRED);
                int recovered = 0;
                int failed = 0;
                int cancelled = 0;
                for (StoredRun row : rescued) {
                    String scope = row.run().scope();
                    changes.events(scope, row.run().runId());
                    changes.settled(scope, row.run().service(), row.run().status());
                    switch (row.run().status()) {
                        case SCHEDULED -> { // retried after its backoff delay
                            recovered++;
                            changes.dueAt(row.run().runAt());
                        }
                        case ACCEPTED -> {
                            recovered++;
                            if (row.leasable()) {
                                changes.work(scope);
                            }
                        }
                        case FAILED -> failed++;
                        case CANCELLED -> cancelled++;
                        default -> throw new IllegalStateException("sweep wrote " + row.run().status());
                    }
                    if (row.run().status().isTerminal()) {
                        keys.release(h, changes, scope, row.run().concurrencyKey());
                    }
                }
                return new SweepResult(recovered, failed, cancelled);
            });
            total = total.plus(batch);
            if (batch.total() < batchSize) {
                if (total.total() > 0) {
                    tx.listener().leasesExpired(total);
                }
                return total;
            }
        }
    }
}

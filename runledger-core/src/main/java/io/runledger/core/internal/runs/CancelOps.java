package io.runledger.core.internal.runs;

import io.runledger.core.internal.store.WaitpointStore;
import io.runledger.api.RunStatus;
import io.runledger.api.CancelResult;
import io.runledger.api.InvalidNameException;
import io.runledger.api.NotFoundException;
import io.runledger.api.Run;
import io.runledger.core.internal.kernel.KeyRelease;
import io.runledger.core.internal.kernel.Limits;
import io.runledger.core.internal.kernel.ServerEvents;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.store.EventStore;
import io.runledger.core.internal.store.RunStore;
import io.runledger.core.internal.store.StoredRun;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Explicit, cooperative stops (invariant 7): a run no worker holds is cancelled at once;
 * a running run gets {@code stop_requested_at}, which its worker sees on its next
 * heartbeat; a settled run is left as it is.
 */
public final class CancelOps {
    private final Tx tx;
    private final RunStore store;
    private final EventStore ledger;
    private final KeyRelease keys;
    private final WaitpointStore waitpoints;

    public CancelOps(Tx tx, RunStore store, EventStore ledger, KeyRelease keys, WaitpointStore waitpoints) {
        this.waitpoints = waitpoints;
        this.tx = tx;
        this.store = store;
        this.ledger = ledger;
        this.keys = keys;
    }

    /** The most descendants one cancel stops with its run. */
    static final int MAX_CASCADE = 10_000;

    /**
     * Stops the run and, with {@code cascade}, its non-terminal descendants (parents before
     * children, in one transaction): each is cancelled at once, or asked to stop if running.
     */
    public CancelResult cancel(String scope, String runId, String reason, boolean cascade) {
        InvalidNameException.requireValid("scope", scope);
        Limits.optionalText("reason", reason, Limits.MAX_REASON_LENGTH);
        return tx.run((h, changes) -> cancel(h, changes, scope, runId, reason, cascade));
    }

    /** {@link #cancel(String, String, String, boolean)} inside the caller's transaction. */
    CancelResult cancel(Handle h, Tx.Changes changes, String scope, String runId, String reason, boolean cascade) {
        CancelResult result = stop(h, changes, scope, runId, reason);
        if (cascade) {
            String why = reason != null ? reason : "parent run " + runId + " was cancelled";
            for (String descendant : store.runsDescendants(h, scope, runId, MAX_CASCADE)) {
                stop(h, changes, scope, descendant, why);
            }
        }
        return result;
    }

    /** Stops one run in the caller's transaction, as {@link #cancel} does without cascading. */
    public CancelResult stop(Handle h, Tx.Changes changes, String scope, String runId, String reason) {
        StoredRun row = store.runLock(h, scope, runId).orElseThrow(() -> NotFoundException.run(runId));
        Run run = row.run();
        if (run.status().isTerminal()) {
            return new CancelResult(run, true);
        }
        return switch (run.status()) {
            case RUNNING -> {
                StoredRun updated = store.runStopRequest(h, scope, runId, reason).orElse(null);
                if (updated == null) {
                    yield new CancelResult(run, false); // a stop was requested before
                }
                Run after = ledger.eventsAppend(h, scope, runId, List.of(ServerEvents.stopRequested(reason))).run();
                changes.events(scope, runId);
                yield new CancelResult(after, false);
            }
            case ACCEPTED, SCHEDULED, WAITING -> {
                run.status().requireMoveTo(io.runledger.api.RunStatus.CANCELLED, runId);
                StoredRun updated = store.runCancelNow(h, scope, runId, reason)
                        .orElseThrow(() -> new IllegalStateException("locked run changed status"));
                Run after = ledger.eventsAppend(h, scope, runId,
                        List.of(ServerEvents.cancelled(updated.run(), reason))).run();
                if (run.status() == RunStatus.WAITING) {
                    waitpoints.suspensionsClose(h, scope, runId); // nothing will resume it: its wait is over
                }
                changes.events(scope, runId);
                changes.settled(scope, run.service(), after.status());
                keys.release(h, changes, scope, run.concurrencyKey());
                yield new CancelResult(after, true);
            }
            default -> throw new IllegalStateException("unexpected status " + run.status());
        };
    }
}

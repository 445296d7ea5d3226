package io.runledger.core.internal.kernel;

import io.runledger.api.InvalidArgumentException;
import io.runledger.api.LeaseLostException;
import io.runledger.api.NotFoundException;
import io.runledger.api.Run;
import io.runledger.api.RunAlreadySettledException;
import io.runledger.api.RunStatus;
import io.runledger.core.internal.store.RunStore;
import io.runledger.core.internal.store.StoredRun;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The lease check of the worker's calls that lock their run first (suspend, steps, children):
 * the run must be running under the presented token. Why not, when it is not: unknown run,
 * settled run, or a lease that is no longer this token's.
 */
public final class Fencing {
    private Fencing() {
    }

    /** The run, locked, if it is running under {@code token}; else the refusal that says why. */
    public static StoredRun lockHeld(Handle h, RunStore store, String scope, String runId, String token) {
        StoredRun row = lock(h, store, scope, runId);
        if (!holds(row, token)) {
            throw refusal(row.run());
        }
        return row;
    }

    /** The run, locked; 404 if it does not exist. */
    public static StoredRun lock(Handle h, RunStore store, String scope, String runId) {
        Optional<StoredRun> row = runId == null ? Optional.empty() : store.runLock(h, scope, runId);
        return row.orElseThrow(() -> NotFoundException.run(runId));
    }

    public static boolean holds(StoredRun row, String token) {
        return row.run().status() == RunStatus.RUNNING && token.equals(row.leaseToken());
    }

    /** Why a call fenced by a lease was refused: the run settled, or the lease is another's (or over). */
    public static RuntimeException refusal(Run run) {
        return run.status().isTerminal() ? new RunAlreadySettledException(run.runId(), run.status())
                : new LeaseLostException(run.runId());
    }

    public static void requireToken(String token) {
        if (token == null || token.isBlank()) {
            throw new InvalidArgumentException("leaseToken is required");
        }
    }
}

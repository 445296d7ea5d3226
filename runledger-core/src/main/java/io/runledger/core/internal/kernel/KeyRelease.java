package io.runledger.core.internal.kernel;

import io.runledger.api.RunStatus;
import io.runledger.core.internal.store.KeyHandOver;
import io.runledger.core.internal.store.RunStore;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Hands a released concurrency key to its oldest waiter, in the releasing transaction. */
public final class KeyRelease {
    private final RunStore store;

    public KeyRelease(RunStore store) {
        this.store = store;
    }

    /**
     * Called after a run that may have held {@code key} settled. Takes the key's advisory
     * lock (the same one triggers take) so that a waiter registered concurrently is seen.
     * Returns true if a waiter took the key.
     */
    public boolean release(Handle h, Tx.Changes changes, String scope, String key) {
        if (key == null) {
            return false;
        }
        store.keyLock(h, scope, key);
        Optional<KeyHandOver> next = store.keyHandOver(h, scope, key);
        next.ifPresent(row -> {
            if (row.status() == RunStatus.ACCEPTED) {
                changes.work(scope);
            }
        });
        return next.isPresent();
    }
}

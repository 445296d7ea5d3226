package io.runledger.core.internal.leases;

import io.runledger.api.Run;

/**
 * Control flow for a repeated terminal write: the outcome is already stored, so the
 * transaction rolls back (it wrote nothing) and the caller gets the stored run.
 */
final class ReplayedOutcome extends RuntimeException {
    private final transient Run run;

    ReplayedOutcome(Run run) {
        super(null, null, false, false);
        this.run = run;
    }

    Run run() {
        return run;
    }
}

package io.runledger.core.internal.leases;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * How many lease claims of one scope this instance runs at once. Concurrent claims of the
 * same queue fight over its head: each SKIP LOCKED claim steps over the rows the others
 * have just locked, so with 24 workers asking for 1,000 runs each a claim visited some
 * 12,000 locked rows on average, took most of a second, and held a pooled connection all
 * that time, until other requests timed out waiting for one. Queued here instead, in memory
 * and without a connection, claims run a few at a time and each finds the head free.
 * Instances still claim side by side, kept apart by SKIP LOCKED. Scopes share a fixed set
 * of stripes, so memory does not grow with the number of scopes.
 */
final class LeaseClaims {
    /** Claims at once per scope: two keeps the database busy while one commits. */
    static final int PER_SCOPE = 2;
    private static final int STRIPES = 64;

    private final Semaphore[] stripes = new Semaphore[STRIPES];

    LeaseClaims() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Semaphore(PER_SCOPE, true);
        }
    }

    <T> T claim(String scope, Supplier<T> claim) {
        Semaphore s = stripes[Math.floorMod(scope.hashCode(), STRIPES)];
        s.acquireUninterruptibly();
        try {
            return claim.get();
        } finally {
            s.release();
        }
    }
}

package io.runledger.core.internal.leases;

import io.runledger.api.Lease;
import io.runledger.api.LeaseRequest;
import io.runledger.core.internal.kernel.GroupCommit;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How lease claims of one scope run on this instance. Concurrent claims of the same queue
 * fight over its head: each SKIP LOCKED claim steps over the rows the others have just
 * locked, so with 24 workers asking for 1,000 runs each a claim visited some 12,000 locked
 * rows on average, took most of a second, and held a pooled connection all that time, until
 * other requests timed out waiting for one. Queued here instead, in memory and without a
 * connection, claims run one at a time and each finds the head free.
 *
 * <p>Claims that queued behind each other and ask for the same services are claimed
 * together (a group claim): one statement claims for all of them, the first runs for the
 * first poll, so 24 workers that lease one run at a time cost the database one claim per
 * group instead of one per run. Instances still claim side by side, kept apart by SKIP
 * LOCKED. Scopes share a fixed set of stripes, so memory does not grow with the number of
 * scopes.
 */
final class LeaseClaims {
    /**
     * Claims at once per scope: one. The polls that queue meanwhile are claimed together by
     * the next one, so a second claim in flight would mostly split the groups: 24 workers
     * leasing one run at a time drained 1,265 runs/s with one against 1,000 with two, and
     * workers leasing 25 at a time drained as fast either way.
     */
    static final int PER_SCOPE = 1;
    /**
     * Scopes that hash to one stripe take turns with their claims; with many stripes, busy
     * scopes seldom share one. Each stripe is a lock and an empty queue when idle.
     */
    private static final int STRIPES = 256;

    /**
     * One poll's claim. {@code together}: it may be claimed in one statement with others
     * that ask for the same services (its services' limits are known to be none, and its
     * worker was recorded as seen).
     */
    record Claim(String scope, List<String> services, LeaseRequest request, AtomicBoolean seen, boolean together) {
        int max() {
            return request.max();
        }

        /** Whether this claim may join a group led by {@code head}. */
        boolean joins(Claim head) {
            return together && head.together && scope.equals(head.scope) && services.equals(head.services);
        }
    }

    private final GroupCommit<Claim, List<Lease>>[] stripes;

    /** @param writer claims a group (its claims ask alike) and answers each with its leases */
    @SuppressWarnings("unchecked")
    LeaseClaims(GroupCommit.Writer<Claim, List<Lease>> writer) {
        stripes = new GroupCommit[STRIPES];
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new GroupCommit<>(PER_SCOPE, LeaseRequest.MAX_BATCH, Claim::max,
                    (group, next) -> next.joins(group.get(0)), writer);
        }
    }

    List<Lease> claim(Claim claim) {
        return stripes[Math.floorMod(claim.scope().hashCode(), STRIPES)].submit(claim);
    }
}

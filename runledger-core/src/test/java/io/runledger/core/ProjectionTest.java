package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.api.EventDraft;
import io.runledger.api.Lease;
import io.runledger.api.OnConflict;
import io.runledger.api.RebuildResult;
import io.runledger.api.Run;
import io.runledger.api.RunError;
import io.runledger.api.RunEvent;
import io.runledger.api.TriggerRequest;
import io.runledger.core.internal.runs.Projection;
import io.runledger.core.internal.store.EventStore;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Invariant 10 against the engine's own fold: after a random mix of operations every run equals
 * the fold of its ledger, also when only the folded types are read. Rebuild and repair through
 * the api are in the contract suite ({@code RunsContract}).
 */
class ProjectionTest extends LedgerTestBase {

    @Test
    void afterAMixOfOperationsEveryRunEqualsTheFoldOfItsLedger() {
        Random random = new Random(42);
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            TriggerRequest.Builder b = TriggerRequest.builder().input(json().put("i", i))
                    .tags(List.of("t" + (i % 3))).metadata(json().put("m", i)).correlationId("c" + i);
            if (i % 5 == 1) {
                b.priority(i % 2 == 0 ? 7 : -7); // non-zero priorities ride on run.accepted
            }
            if (i % 7 == 0) {
                b.concurrencyKey("k" + (i % 2)).onConflict(OnConflict.ENQUEUE);
            }
            if (i % 11 == 0) {
                b.runAt(Instant.now().plusSeconds(3600));
            }
            if (i % 5 == 0) {
                b.idempotencyKey("idem-" + i).ttlSeconds(600).maxAttempts(2);
            }
            runIds.add(trigger(b.build()).runId());
        }
        for (int round = 0; round < 4; round++) {
            for (Lease lease : lease("w" + round, 25)) {
                int dice = random.nextInt(6);
                String token = lease.leaseToken();
                ledger.workers().append(SCOPE, lease.runId(), token,
                        List.of(new EventDraft("progress", json().put("r", round))));
                switch (dice) {
                    case 0 -> ledger.workers().complete(SCOPE, lease.runId(), token, json().put("out", round));
                    case 1 -> ledger.workers().fail(SCOPE, lease.runId(), token, RunError.of("e", "retry me"), true);
                    case 2 -> ledger.workers().fail(SCOPE, lease.runId(), token,
                            new RunError("fatal", "no", json().put("why", "x")), false);
                    case 3 -> ledger.runs().cancel(SCOPE, lease.runId(), "stop " + round);
                    default -> { } // left running
                }
            }
            ledger.runs().cancel(SCOPE, runIds.get(random.nextInt(runIds.size())), null);
        }
        for (String runId : runIds) {
            RebuildResult result = ledger.runs().rebuildProjection(SCOPE, runId);
            assertThat(result.changed()).as("projection of %s: %s", runId, result).isFalse();
        }
        foldingOnlyTheFoldedTypesGivesTheSameRunAtEverySeq(runIds);
    }

    /** A webhook folds only Projection.FOLDED_TYPES up to its event: that must be the same run. */
    private void foldingOnlyTheFoldedTypesGivesTheSameRunAtEverySeq(List<String> runIds) {
        EventStore store = new EventStore();
        try (Handle h = Jdbi.open(TestDatabase.connect())) {
            for (String runId : runIds) {
                Run stored = ledger.runs().get(SCOPE, runId);
                List<RunEvent> all = store.eventsAll(h, SCOPE, runId);
                for (int k = 1; k <= all.size(); k++) {
                    Run full = Projection.fold(all.subList(0, k), stored);
                    Run folded = Projection.fold(store.eventsFoldedUpTo(h, SCOPE, runId, all.get(k - 1).seq(),
                            Projection.FOLDED_TYPES), stored);
                    assertThat(folded).as("%s at seq %s", runId, k).usingRecursiveComparison()
                            .ignoringFields("lastSeq", "lastEventAt").isEqualTo(full);
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

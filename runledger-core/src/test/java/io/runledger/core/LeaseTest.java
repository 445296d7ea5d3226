package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runledger.api.Lease;
import io.runledger.api.LeaseRequest;
import io.runledger.api.ServiceSpec;
import io.runledger.api.TriggerRequest;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A waiting lease woken by NOTIFY from another engine on the same database. Leasing through the
 * api is in the contract suite ({@code WorkersContract}).
 */
class LeaseTest extends LedgerTestBase {

    @Test
    void aWaitingLeaseIsWokenByATriggerOnAnotherInstance() throws Exception {
        try (RunLedger other = TestDatabase.ledgerBuilder().build()) {
            CompletableFuture<List<Lease>> waiting = CompletableFuture.supplyAsync(() -> ledger.workers().lease(SCOPE,
                    LeaseRequest.of("w", List.of(SERVICE), 1, Duration.ofSeconds(30))));
            // The trigger must come after the lease's first, empty claim, or the call would find the
            // run without waiting. That claim records the worker as seen, in the same transaction,
            // after the call has taken its wake-up ticket: once "w" is listed, only a wake-up (or the
            // slow safety re-check) can bring the run.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() ->
                    ledger.workers().list(SCOPE).stream().anyMatch(w -> w.workerId().equals("w")));
            assertThat(waiting).isNotDone();
            long triggeredAt = System.nanoTime();
            String runId = other.runs().trigger(SCOPE, SERVICE, TriggerRequest.of(json())).runId();
            List<Lease> leases = waiting.get(10, TimeUnit.SECONDS);
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - triggeredAt);
            assertThat(leases).extracting(Lease::runId).containsExactly(runId);
            // woken by NOTIFY, not by the safety re-check (LongWait.RECHECK, 20 s)
            assertThat(waitedMs).isLessThan(1_500);
        }
    }

    /**
     * A completion frees a slot of a capped service in a statement of its own (no transaction
     * around it): its NOTIFY must wake a poll waiting for that slot, on this instance (the echo)
     * and on another, well before the safety re-check.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aPollWaitingForASlotIsWokenWhenACompletionFreesOne(boolean onAnotherInstance) throws Exception {
        ledger.admin().servicePut(SCOPE, "capped", new ServiceSpec(1, 30, null, 1, null));
        try (RunLedger other = TestDatabase.ledgerBuilder().build()) {
            RunLedger completer = onAnotherInstance ? other : ledger;
            ledger.runs().trigger(SCOPE, "capped", TriggerRequest.of(json()));
            String second = ledger.runs().trigger(SCOPE, "capped", TriggerRequest.of(json())).runId();
            Lease first = ledger.workers().lease(SCOPE, LeaseRequest.of("w1", List.of("capped"), 5, Duration.ZERO))
                    .get(0);
            CompletableFuture<List<Lease>> waiting = CompletableFuture.supplyAsync(() -> ledger.workers().lease(SCOPE,
                    LeaseRequest.of("w2", List.of("capped"), 5, Duration.ofSeconds(30))));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() ->
                    ledger.workers().list(SCOPE).stream().anyMatch(w -> w.workerId().equals("w2")));
            assertThat(waiting).isNotDone();

            long completedAt = System.nanoTime();
            completer.workers().complete(SCOPE, first.runId(), first.leaseToken(), json());
            List<Lease> leases = waiting.get(10, TimeUnit.SECONDS);
            assertThat(leases).extracting(Lease::runId).containsExactly(second);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - completedAt)).isLessThan(1_500);
        }
    }
}

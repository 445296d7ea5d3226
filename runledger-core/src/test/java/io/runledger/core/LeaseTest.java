package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.runledger.api.Lease;
import io.runledger.api.LeaseRequest;
import io.runledger.api.NotFoundException;
import io.runledger.api.ServiceSpec;
import io.runledger.api.TriggerRequest;
import io.runledger.api.WorkerInfo;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Leasing: disjoint claims under contention, NOTIFY-woken long-polls, concurrency limits. */
class LeaseTest extends LedgerTestBase {

    @Test
    void concurrentWorkersClaimDisjointRuns() throws Exception {
        int runs = 400;
        for (int i = 0; i < runs; i++) {
            trigger(TriggerRequest.of(json().put("i", i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<List<String>>> workers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            String workerId = "w" + w;
            workers.add(pool.submit(() -> {
                List<String> mine = new ArrayList<>();
                while (true) {
                    List<Lease> got = lease(workerId, 7);
                    if (got.isEmpty()) {
                        return mine;
                    }
                    got.forEach(l -> mine.add(l.runId()));
                }
            }));
        }
        Set<String> all = new HashSet<>();
        int total = 0;
        for (Future<List<String>> f : workers) {
            List<String> mine = f.get();
            total += mine.size();
            all.addAll(mine);
        }
        pool.shutdown();
        assertThat(total).isEqualTo(runs);
        assertThat(all).hasSize(runs);
        assertThat(TestDatabase.count("select count(*) from run_events where type = 'run.started'")).isEqualTo(runs);
    }

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

    @Test
    void aLeaseWithNothingToDoReturnsEmptyAfterItsWait() {
        long start = System.nanoTime();
        List<Lease> leases = ledger.workers().lease(SCOPE, LeaseRequest.of("w", List.of(SERVICE), 1,
                Duration.ofMillis(500)));
        assertThat(leases).isEmpty();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(450);
    }

    @Test
    void aServiceConcurrencyLimitCapsRunningRuns() {
        ledger.admin().servicePut(SCOPE, "capped", new ServiceSpec(1, 30, null, 2, null));
        for (int i = 0; i < 5; i++) {
            ledger.runs().trigger(SCOPE, "capped", TriggerRequest.of(json()));
        }
        LeaseRequest request = LeaseRequest.of("w", List.of("capped"), 10, Duration.ZERO);
        List<Lease> first = ledger.workers().lease(SCOPE, request);
        assertThat(first).hasSize(2);
        assertThat(ledger.workers().lease(SCOPE, request)).isEmpty();
        ledger.workers().complete(SCOPE, first.get(0).runId(), first.get(0).leaseToken(), json());
        assertThat(ledger.workers().lease(SCOPE, request)).hasSize(1);
    }

    @Test
    void workersAreListedWithWhatTheyAnnounced() {
        trigger();
        ledger.workers().lease(SCOPE, new LeaseRequest("gpu-1", List.of(SERVICE), 1, Duration.ZERO, "1.2.3",
                json().put("gpu", true)));
        List<WorkerInfo> workers = ledger.workers().list(SCOPE);
        assertThat(workers).hasSize(1);
        WorkerInfo w = workers.get(0);
        assertThat(w.workerId()).isEqualTo("gpu-1");
        assertThat(w.services()).containsExactly(SERVICE);
        assertThat(w.version()).isEqualTo("1.2.3");
        assertThat(w.capabilities().get("gpu").asBoolean()).isTrue();
        assertThat(w.runsHeld()).isEqualTo(1);
        assertThat(w.lastSeenAt()).isNotNull();
    }

    @Test
    void leasingAnUnknownServiceOrScopeIsNotFound() {
        assertThatThrownBy(() -> ledger.workers().lease(SCOPE, LeaseRequest.of("w", List.of("nope"), 1, Duration.ZERO)))
                .isInstanceOf(NotFoundException.class).hasFieldOrPropertyWithValue("code", "service_not_found");
        assertThatThrownBy(() -> ledger.workers().lease("nobody", LeaseRequest.of("w", List.of(SERVICE), 1, Duration.ZERO)))
                .isInstanceOf(NotFoundException.class).hasFieldOrPropertyWithValue("code", "scope_not_found");
    }
}

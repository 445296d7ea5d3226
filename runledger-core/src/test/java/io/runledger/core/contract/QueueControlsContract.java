package io.runledger.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.api.Lease;
import io.runledger.api.LeaseRequest;
import io.runledger.api.QueueStat;
import io.runledger.api.RunLedgerException;
import io.runledger.api.ServiceInfo;
import io.runledger.api.ServiceSpec;
import io.runledger.api.TriggerRequest;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Queue controls: a paused service accepts triggers, leases skip it until it is resumed. */
public abstract class QueueControlsContract extends ContractBase {

    @Test
    void aPausedServiceAccumulatesRunsNoneLeasedUntilResumed() throws Exception {
        ServiceInfo paused = ledger.admin().servicePause(SCOPE, SERVICE);
        assertThat(paused.paused()).isTrue();
        assertThat(ledger.admin().serviceGet(SCOPE, SERVICE).paused()).isTrue();
        assertThat(ledger.admin().servicePause(SCOPE, SERVICE).paused()).isTrue(); // idempotent

        Set<String> triggered = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            triggered.add(trigger(TriggerRequest.of(json().put("i", i))).runId());
        }
        assertThat(lease("w", 100)).isEmpty();

        // a waiting poll is woken by each new trigger but finds nothing leasable: it waits its full time
        long start = System.nanoTime();
        CompletableFuture<List<Lease>> waiting = CompletableFuture.supplyAsync(() -> ledger.workers().lease(SCOPE,
                LeaseRequest.of("w", List.of(SERVICE), 10, Duration.ofMillis(1500))));
        for (int i = 0; i < 5; i++) {
            trigger();
        }
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(1400);

        ServiceInfo resumed = ledger.admin().serviceResume(SCOPE, SERVICE);
        assertThat(resumed.paused()).isFalse();
        assertThat(ledger.admin().serviceGet(SCOPE, SERVICE).paused()).isFalse();
        Set<String> leased = new HashSet<>();
        List<Lease> got;
        while (!(got = lease("w", 100)).isEmpty()) {
            got.forEach(l -> leased.add(l.runId()));
        }
        assertThat(leased).hasSize(105).containsAll(triggered);
    }

    @Test
    void aResumeWakesAWaitingPoll() throws Exception {
        ledger.admin().servicePause(SCOPE, SERVICE);
        String runId = trigger().runId();
        long start = System.nanoTime();
        CompletableFuture<List<Lease>> waiting = CompletableFuture.supplyAsync(() -> ledger.workers().lease(SCOPE,
                LeaseRequest.of("w", List.of(SERVICE), 1, Duration.ofSeconds(20))));
        // the poll may or may not have started waiting yet; either way the resume must reach it
        assertThat(lease("other", 1)).isEmpty();
        ledger.admin().serviceResume(SCOPE, SERVICE);
        List<Lease> leases = waiting.get(15, TimeUnit.SECONDS);
        assertThat(leases).extracting(Lease::runId).containsExactly(runId);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(15);
    }

    @Test
    void aPausedServiceAmongSeveralLeavesTheOthersLeasable() {
        ledger.admin().servicePut(SCOPE, "other", new ServiceSpec(3, 30, null, null, null, IMMEDIATE));
        ledger.admin().servicePut(SCOPE, "capped", new ServiceSpec(3, 30, null, 5, null, IMMEDIATE));
        ledger.admin().servicePause(SCOPE, SERVICE);
        ledger.admin().servicePause(SCOPE, "capped");
        for (int i = 0; i < 3; i++) {
            trigger();
            ledger.runs().trigger(SCOPE, "capped", TriggerRequest.of(json()));
        }
        Set<String> others = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            others.add(ledger.runs().trigger(SCOPE, "other", TriggerRequest.of(json())).runId());
        }
        LeaseRequest all = LeaseRequest.of("w", List.of(SERVICE, "capped", "other"), 10, Duration.ZERO);
        List<Lease> leases = ledger.workers().lease(SCOPE, all);
        assertThat(leases).extracting(Lease::runId).containsExactlyInAnyOrderElementsOf(others);
        assertThat(ledger.workers().lease(SCOPE, all)).isEmpty();

        ledger.admin().serviceResume(SCOPE, "capped");
        assertThat(ledger.workers().lease(SCOPE, all)).hasSize(3)
                .allSatisfy(l -> assertThat(l.service()).isEqualTo("capped"));
        assertThat(ledger.admin().servicesList(SCOPE)).extracting(ServiceInfo::service, ServiceInfo::paused)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("capped", false),
                        org.assertj.core.groups.Tuple.tuple("other", false),
                        org.assertj.core.groups.Tuple.tuple(SERVICE, true));
    }

    @Test
    void queuesShowEachServicesDepthAndOldestAge() {
        ledger.admin().servicePut(SCOPE, "idle", new ServiceSpec(3, 30, null, null, null, IMMEDIATE));
        for (int i = 0; i < 4; i++) {
            trigger();
        }
        leaseOne("w"); // running runs are not queued
        List<QueueStat> queues = ledger.admin().queues(SCOPE);
        assertThat(queues).extracting(QueueStat::service).containsExactly("idle", SERVICE);
        assertThat(queues.get(0).depth()).isZero();
        assertThat(queues.get(0).oldestAgeSeconds()).isZero();
        assertThat(queues.get(1).depth()).isEqualTo(3);
        assertThat(queues.get(1).oldestAgeSeconds()).isGreaterThanOrEqualTo(0).isLessThan(60);
        assertThat(queues).allSatisfy(q -> assertThat(q.scope()).isEqualTo(SCOPE));
        assertThatThrownBy(() -> ledger.admin().queues("nosuch"))
                .isInstanceOfSatisfying(RunLedgerException.class, e -> assertThat(e.code()).isIn("scope_not_found", "forbidden"));
    }

    @Test
    void pausingAnUnknownServiceIsNotFound() {
        assertThatThrownBy(() -> ledger.admin().servicePause(SCOPE, "nope"))
                .isInstanceOfSatisfying(RunLedgerException.class, e -> assertThat(e.code()).isEqualTo("service_not_found"));
        assertThatThrownBy(() -> ledger.admin().serviceResume(SCOPE, "nope"))
                .isInstanceOfSatisfying(RunLedgerException.class, e -> assertThat(e.code()).isEqualTo("service_not_found"));
    }

    @Test
    void leasesTakeHigherPriorityFirstThenOldest() {
        int[] priorities = {0, -10, 10, 0, 10, -10, 0, 10, -10};
        java.util.Map<Integer, List<String>> byPriority = new java.util.TreeMap<>(java.util.Comparator.reverseOrder());
        for (int i = 0; i < priorities.length; i++) {
            TriggerRequest.Builder b = TriggerRequest.builder().input(json().put("i", i));
            if (priorities[i] != 0 || i == 0) {
                b.priority(priorities[i]); // the first run says 0, the others of 0 leave it unset
            }
            String runId = trigger(b.build()).runId();
            byPriority.computeIfAbsent(priorities[i], p -> new java.util.ArrayList<>()).add(runId);
            assertThat(ledger.runs().get(SCOPE, runId).priority()).isEqualTo(priorities[i]);
        }
        List<String> expected = byPriority.values().stream().flatMap(List::stream).toList();
        assertThat(lease("w", 4)).extracting(Lease::runId).containsExactlyElementsOf(expected.subList(0, 4));
        List<String> rest = new java.util.ArrayList<>();
        List<Lease> got;
        while (!(got = lease("w", 1)).isEmpty()) {
            rest.add(got.get(0).runId());
        }
        assertThat(rest).containsExactlyElementsOf(expected.subList(4, expected.size()));
    }

    @Test
    void aBatchCarriesItsItemsPriorities() {
        List<String> ids = ledger.batches().register(SCOPE, SERVICE, List.of(
                TriggerRequest.builder().input(json()).priority(-5).build(),
                TriggerRequest.builder().input(json()).build(),
                TriggerRequest.builder().input(json()).priority(5).build())).receipts().stream()
                .map(io.runledger.api.Receipt::runId).toList();
        assertThat(lease("w", 3)).extracting(Lease::runId).containsExactly(ids.get(2), ids.get(1), ids.get(0));
        assertThat(ledger.runs().get(SCOPE, ids.get(0)).priority()).isEqualTo(-5);
    }

    @Test
    void aPriorityOutsideItsRangeIsRefused() {
        refused("invalid_argument", () -> trigger(TriggerRequest.builder().input(json()).priority(101).build()));
        refused("invalid_argument", () -> trigger(TriggerRequest.builder().input(json()).priority(-101).build()));
    }
}

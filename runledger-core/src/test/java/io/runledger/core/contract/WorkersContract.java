package io.runledger.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.api.EventDraft;
import io.runledger.api.Heartbeat;
import io.runledger.api.Lease;
import io.runledger.api.LeaseRequest;
import io.runledger.api.NotFoundException;
import io.runledger.api.RunError;
import io.runledger.api.RunStatus;
import io.runledger.api.ServiceSpec;
import io.runledger.api.TriggerRequest;
import io.runledger.api.WorkerInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code Workers}: leasing, the workers list, heartbeats and refused worker calls. Fencing and
 * outcomes are in {@link OutcomesContract}, expired leases in {@link LeaseExpiryContract}.
 */
public abstract class WorkersContract extends ContractBase {

    @Test
    void concurrentWorkersClaimDisjointRuns() throws Exception {
        int runs = 400;
        for (int i = 0; i < runs; i++) {
            trigger(TriggerRequest.of(json().put("i", i)));
        }
        List<List<String>> claims = race(8, w -> {
            List<String> mine = new ArrayList<>();
            while (true) {
                List<Lease> got = lease("w" + w, 7);
                if (got.isEmpty()) {
                    return mine;
                }
                got.forEach(l -> mine.add(l.runId()));
            }
        });
        Set<String> all = new HashSet<>();
        claims.forEach(all::addAll);
        assertThat(claims.stream().mapToInt(List::size).sum()).isEqualTo(runs);
        assertThat(all).hasSize(runs);
        assertThat(count("select count(*) from run_events where type = 'run.started'")).isEqualTo(runs);
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
        List<Lease> leases = ledger.workers().lease(SCOPE, new LeaseRequest("gpu-1", List.of(SERVICE), 1,
                Duration.ZERO, "1.2.3", json().put("gpu", true)));
        assertThat(leases).hasSize(1);
        assertThat(leases.get(0).service()).isEqualTo(SERVICE);
        assertThat(leases.get(0).input().get("n").asInt()).isEqualTo(1);
        assertThat(leases.get(0).leaseExpiresAt()).isNotNull();
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

    @Test
    void aFailureWithoutAnErrorIsRefused() {
        String runId = trigger().runId();
        Lease lease = leaseOne("w");
        refused("invalid_argument", () -> ledger.workers().fail(SCOPE, runId, lease.leaseToken(), null, false));
        assertThat(ledger.runs().get(SCOPE, runId).status()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void aHeartbeatExtendsTheLease() {
        String runId = trigger().runId();
        Lease lease = leaseOne("w");
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() ->
                ledger.workers().heartbeat(SCOPE, runId, lease.leaseToken()).leaseExpiresAt()
                        .isAfter(lease.leaseExpiresAt()));
        Heartbeat beat = ledger.workers().heartbeat(SCOPE, runId, lease.leaseToken());
        assertThat(beat.stopRequested()).isFalse();
        assertThat(beat.messages()).isEmpty();
        assertThat(ledger.runs().get(SCOPE, runId).leaseExpiresAt()).isEqualTo(beat.leaseExpiresAt());
        assertThatThrownBy(() -> ledger.workers().heartbeat(SCOPE, "run_missing", lease.leaseToken()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).isEqualTo("run_not_found"));
    }

    @Test
    void workerRefusals() {
        String runId = trigger().runId();
        Lease lease = leaseOne("w");
        refused("invalid_argument", () -> ledger.workers().lease(SCOPE, LeaseRequest.of("w", List.of(SERVICE), 0, Duration.ZERO)));
        refused("invalid_argument", () -> ledger.workers().lease(SCOPE, LeaseRequest.of("w", List.of(SERVICE), 1, Duration.ofSeconds(-1))));
        refused("invalid_argument", () -> ledger.workers().lease(SCOPE, LeaseRequest.of(null, List.of(SERVICE), 1, Duration.ZERO)));
        refused("invalid_argument", () -> ledger.workers().lease(SCOPE, LeaseRequest.of("w", List.of(), 1, Duration.ZERO)));
        refused("payload_too_large", () -> ledger.workers().append(SCOPE, runId, lease.leaseToken(),
                List.of(new EventDraft("progress", json().put("blob", "x".repeat(64 * 1024))))));
        refused("invalid_argument", () -> ledger.workers().append(SCOPE, runId, lease.leaseToken(), List.of()));
        refused("invalid_argument", () -> ledger.workers().append(SCOPE, runId, lease.leaseToken(),
                List.of(new EventDraft("run.failed", json()))));
        refused("invalid_argument", () -> ledger.workers().append(SCOPE, runId, lease.leaseToken(),
                List.of(new EventDraft("custom.", json()))));
        refused("run_not_found", () -> ledger.workers().append(SCOPE, "run_missing", lease.leaseToken(),
                List.of(new EventDraft("log", json()))));
        refused("lease_lost", () -> ledger.workers().heartbeat(SCOPE, runId, "stale"));
        refused("invalid_argument", () -> ledger.workers().complete(SCOPE, runId, "", json()));
        refused("payload_too_large", () -> ledger.workers().complete(SCOPE, runId, lease.leaseToken(),
                json().put("blob", "x".repeat(1024 * 1024 + 1))));
        refused("invalid_argument", () -> ledger.workers().fail(SCOPE, runId, lease.leaseToken(),
                new RunError("", "empty code", null), false));
        ledger.workers().complete(SCOPE, runId, lease.leaseToken(), json());
        refused("run_already_settled", () -> ledger.workers().complete(SCOPE, runId, lease.leaseToken(),
                json().put("different", true)));
    }
}

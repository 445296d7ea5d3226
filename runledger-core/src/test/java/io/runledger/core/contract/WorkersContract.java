package io.runledger.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.api.EventDraft;
import io.runledger.api.Heartbeat;
import io.runledger.api.Lease;
import io.runledger.api.LeaseLostException;
import io.runledger.api.LeaseRequest;
import io.runledger.api.NotFoundException;
import io.runledger.api.Run;
import io.runledger.api.RunError;
import io.runledger.api.RunEvent;
import io.runledger.api.RunLedgerException;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * {@code Workers}: leasing, fencing by the lease token (invariant 3), one outcome per run
 * (invariant 2), and what happens to a lease nobody renews (invariant 8).
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
    void progressEventsNeverFinalize() {
        String runId = trigger().runId();
        Lease lease = leaseOne("w1");
        List<EventDraft> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(new EventDraft(i % 2 == 0 ? "progress" : "custom.succeeded", json().put("i", i)));
        }
        ledger.workers().append(SCOPE, runId, lease.leaseToken(), events);
        assertThat(ledger.runs().get(SCOPE, runId).status()).isEqualTo(RunStatus.RUNNING);
        assertThatThrownBy(() -> ledger.workers().append(SCOPE, runId, lease.leaseToken(),
                List.of(new EventDraft("run.succeeded", json()))))
                .hasFieldOrPropertyWithValue("code", "invalid_argument");
        assertThat(ledger.runs().get(SCOPE, runId).status()).isEqualTo(RunStatus.RUNNING);
        assertThat(ledger.runs().get(SCOPE, runId).lastSeq()).isEqualTo(52);
    }

    @Test
    void aStaleTokenCanDoNothingAfterTheRunWasReleased() {
        shortLeases(3);
        String runId = trigger().runId();
        Lease first = leaseOne("w1");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> maintenance().sweep().recovered() == 1);
        Lease second = leaseOne("w2");
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.leaseToken()).isNotEqualTo(first.leaseToken());

        String stale = first.leaseToken();
        assertThatThrownBy(() -> ledger.workers().heartbeat(SCOPE, runId, stale)).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> ledger.workers().append(SCOPE, runId, stale, List.of(new EventDraft("log", json()))))
                .isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> ledger.workers().complete(SCOPE, runId, stale, json()))
                .isInstanceOf(LeaseLostException.class).hasFieldOrPropertyWithValue("code", "lease_lost");
        assertThatThrownBy(() -> ledger.workers().fail(SCOPE, runId, stale, RunError.of("x", "y"), false))
                .isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> ledger.workers().complete(SCOPE, runId, "not-a-token", json()))
                .isInstanceOf(LeaseLostException.class);

        long eventsBefore = count("select count(*) from run_events");
        ledger.workers().complete(SCOPE, runId, second.leaseToken(), json().put("ok", true));
        assertThat(count("select count(*) from run_events")).isEqualTo(eventsBefore + 1);
        assertThat(ledger.runs().get(SCOPE, runId).workerId()).isEqualTo("w2");
    }

    @Test
    void aQueuedRunCannotBeFinalizedWithoutALease() {
        String runId = trigger().runId();
        assertThatThrownBy(() -> ledger.workers().complete(SCOPE, runId, "guess", json()))
                .isInstanceOf(LeaseLostException.class);
        assertThat(ledger.runs().get(SCOPE, runId).status()).isEqualTo(RunStatus.ACCEPTED);
    }

    @RepeatedTest(3)
    void racingFinalizersProduceOneTerminalEvent() throws Exception {
        String runId = trigger().runId();
        Lease lease = leaseOne("w1");
        List<Object> results = race(16, n -> {
            try {
                if (n % 2 == 0) {
                    return ledger.workers().complete(SCOPE, runId, lease.leaseToken(), json().put("by", n));
                }
                return ledger.workers().fail(SCOPE, runId, lease.leaseToken(), RunError.of("boom", "racer " + n), false);
            } catch (RunLedgerException e) {
                return e;
            }
        });
        assertThat(results.stream().filter(r -> r instanceof Run)).hasSize(1);
        assertThat(results.stream().filter(r -> !(r instanceof Run)))
                .allSatisfy(r -> assertThat(r).isInstanceOfSatisfying(RunLedgerException.class,
                        e -> assertThat(e.code()).isEqualTo("run_already_settled")));
        assertThat(count("select count(*) from run_events where run_id = '" + runId
                + "' and type in ('run.succeeded','run.failed','run.cancelled','run.expired')")).isEqualTo(1);
        assertThat(ledger.runs().get(SCOPE, runId).status()).isIn(RunStatus.SUCCEEDED, RunStatus.FAILED);
        assertThat(ledger.runs().rebuildProjection(SCOPE, runId).changed()).isFalse();
    }

    @Test
    void aRepeatedCompletionReturnsTheSameResultAndADifferentOneIsRefused() {
        String runId = trigger().runId();
        Lease lease = leaseOne("w1");
        Run first = ledger.workers().complete(SCOPE, runId, lease.leaseToken(), json().put("v", 1));
        Run again = ledger.workers().complete(SCOPE, runId, lease.leaseToken(), json().put("v", 1));
        assertThat(again).isEqualTo(first);

        assertThatThrownBy(() -> ledger.workers().complete(SCOPE, runId, lease.leaseToken(), json().put("v", 2)))
                .isInstanceOfSatisfying(io.runledger.api.RunAlreadySettledException.class, e -> {
                    assertThat(e.code()).isEqualTo("run_already_settled");
                    assertThat(e.status()).isEqualTo(RunStatus.SUCCEEDED);
                    assertThat(e.details()).containsEntry("runStatus", "succeeded");
                })
                .hasMessageContaining("succeeded");
        assertThatThrownBy(() -> ledger.workers().fail(SCOPE, runId, lease.leaseToken(),
                RunError.of("late", "too late"), false))
                .isInstanceOf(io.runledger.api.RunAlreadySettledException.class);
        assertThat(ledger.runs().get(SCOPE, runId).lastSeq()).isEqualTo(3);
    }

    @Test
    void aRepeatedFailureReturnsTheSameResult() {
        String runId = trigger().runId();
        Lease lease = leaseOne("w1");
        RunError error = new RunError("bad_input", "cannot parse", json().put("line", 3));
        Run first = ledger.workers().fail(SCOPE, runId, lease.leaseToken(), error, false);
        assertThat(first.status()).isEqualTo(RunStatus.FAILED);
        assertThat(first.error()).isEqualTo(error);
        Run again = ledger.workers().fail(SCOPE, runId, lease.leaseToken(), error, false);
        assertThat(again).isEqualTo(first);
        assertThatThrownBy(() -> ledger.workers().fail(SCOPE, runId, lease.leaseToken(),
                RunError.of("other", "different"), false))
                .isInstanceOf(io.runledger.api.RunAlreadySettledException.class);
    }

    @Test
    void aRetryableFailureRequeuesWithTheNextAttemptUntilAttemptsRunOut() {
        String runId = trigger().runId();
        for (int attempt = 1; attempt <= 3; attempt++) {
            Lease lease = leaseOne("w" + attempt);
            assertThat(lease.attempt()).isEqualTo(attempt);
            Run after = ledger.workers().fail(SCOPE, runId, lease.leaseToken(),
                    RunError.of("flaky", "try " + attempt), true);
            if (attempt < 3) {
                assertThat(after.status()).isEqualTo(RunStatus.ACCEPTED);
                assertThat(after.attempt()).isEqualTo(attempt + 1);
                // a repeat of the same report is answered, not applied twice
                assertThat(ledger.workers().fail(SCOPE, runId, lease.leaseToken(),
                        RunError.of("flaky", "try " + attempt), true)).isEqualTo(after);
            } else {
                assertThat(after.status()).isEqualTo(RunStatus.FAILED);
                assertThat(after.error().code()).isEqualTo("flaky");
            }
        }
        assertThat(count("select count(*) from run_events where type = 'run.retrying'")).isEqualTo(2);
        assertThat(lease("w9", 1)).isEmpty();
        assertThat(ledger.runs().rebuildProjection(SCOPE, runId).changed()).isFalse();
    }

    @Test
    void anExpiredLeaseGoesBackToTheQueueThenFailsWhenAttemptsRunOut() {
        shortLeases(2);
        String runId = trigger().runId();
        leaseOne("w1");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> maintenance().sweep().recovered() == 1);
        Run retried = ledger.runs().get(SCOPE, runId);
        assertThat(retried.status()).isEqualTo(RunStatus.ACCEPTED);
        assertThat(retried.attempt()).isEqualTo(2);

        Lease second = leaseOne("w2");
        assertThat(second.attempt()).isEqualTo(2);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> maintenance().sweep().failed() == 1);
        Run failed = ledger.runs().get(SCOPE, runId);
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo("lease_expired");
        assertThat(ledger.runs().events(SCOPE, runId, 0, 100).items()).extracting(RunEvent::type).containsExactly(
                "run.accepted", "run.started", "run.lease_expired", "run.retrying",
                "run.started", "run.lease_expired", "run.failed");
        assertThat(ledger.runs().rebuildProjection(SCOPE, runId).changed()).isFalse();
    }

    @Test
    void aRecoveryWritesTheLeaseExpiryThenTheOutcomeWithTheirExactPayloads() {
        shortLeases(2);
        String runId = trigger().runId();
        leaseOne("w1");
        ledger.runs().cancel(SCOPE, trigger().runId(), null); // another run, not leased: not swept
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> maintenance().sweep().recovered() == 1);
        String lost = "{\"code\": \"lease_expired\", \"message\": \"the lease of attempt 1 expired without a heartbeat\"}";
        List<RunEvent> events = ledger.runs().events(SCOPE, runId, 0, 100).items();
        assertThat(events).extracting(RunEvent::seq).containsExactly(1L, 2L, 3L, 4L);
        assertThat(events.get(2).type()).isEqualTo("run.lease_expired");
        assertThat(events.get(2).data()).isEqualTo(json("{\"attempt\": 1, \"workerId\": \"w1\"}"));
        assertThat(events.get(3).type()).isEqualTo("run.retrying");
        assertThat(events.get(3).data()).isEqualTo(json("{\"attempt\": 2, \"error\": " + lost + "}"));
        Run run = ledger.runs().get(SCOPE, runId);
        assertThat(run.lastSeq()).isEqualTo(4);
        assertThat(run.finishedAt()).isNull();
        assertThat(run.leaseExpiresAt()).isNull();
        assertThat(run.error()).isEqualTo(new RunError("lease_expired",
                "the lease of attempt 1 expired without a heartbeat", null));

        ledger.runs().cancel(SCOPE, runId, null);
        String other = trigger().runId();
        leaseOne("w2");
        ledger.runs().cancel(SCOPE, other, "bye");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> maintenance().sweep().cancelled() == 1);
        List<RunEvent> stopped = ledger.runs().events(SCOPE, other, 0, 100).items();
        assertThat(stopped).extracting(RunEvent::type).containsExactly("run.accepted", "run.started",
                "run.stop_requested", "run.lease_expired", "run.cancelled");
        assertThat(stopped.get(4).data()).isEqualTo(json(
                "{\"reason\": \"bye\", \"error\": {\"code\": \"cancelled\", \"message\": \"bye\"}}"));
        Run cancelled = ledger.runs().get(SCOPE, other);
        assertThat(cancelled.lastSeq()).isEqualTo(5);
        assertThat(cancelled.finishedAt()).isNotNull();
        assertThat(ledger.runs().rebuildProjection(SCOPE, other).changed()).isFalse();
    }

    @Test
    void aHeartbeatKeepsTheLeaseAlive() {
        shortLeases(2);
        String runId = trigger().runId();
        Lease lease = leaseOne("w1");
        // Time must pass on purpose: the lease TTL is 1 s, and for 1.8 s in all (the first beat at
        // 0.3 s, then 1.5 s more) a heartbeat every 300 ms, at a fraction of the TTL as a worker does,
        // must keep every sweep in between from recovering the run. The count never goes back down,
        // so one recovery fails the wait (and a lost lease fails the next beat).
        AtomicInteger swept = new AtomicInteger();
        Awaitility.await().pollDelay(Duration.ofMillis(300)).pollInterval(Duration.ofMillis(300))
                .during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(5)).until(() -> {
                    ledger.workers().heartbeat(SCOPE, runId, lease.leaseToken());
                    return swept.addAndGet(maintenance().sweep().total()) == 0;
                });
        assertThat(ledger.runs().get(SCOPE, runId).status()).isEqualTo(RunStatus.RUNNING);
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

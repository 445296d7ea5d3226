package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.api.Lease;
import io.runledger.api.LeaseLostException;
import io.runledger.api.Run;
import io.runledger.api.RunError;
import io.runledger.api.RunEvent;
import io.runledger.api.RunStatus;
import io.runledger.api.ServiceSpec;
import io.runledger.api.SweepResult;
import io.runledger.api.TriggerRequest;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Invariant 8: nothing is orphaned; sweeps on several instances never recover a run twice. */
class SweepTest extends LedgerTestBase {

    @Override
    protected ServiceSpec serviceSpec() {
        return new ServiceSpec(2, 1, null, null, null);
    }

    @Test
    void anExpiredLeaseGoesBackToTheQueueThenFailsWhenAttemptsRunOut() {
        String runId = trigger().runId();
        leaseOne("w1");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ledger.maintenance().sweep().recovered() == 1);
        Run retried = ledger.runs().get(SCOPE, runId);
        assertThat(retried.status()).isEqualTo(RunStatus.ACCEPTED);
        assertThat(retried.attempt()).isEqualTo(2);

        Lease second = leaseOne("w2");
        assertThat(second.attempt()).isEqualTo(2);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ledger.maintenance().sweep().failed() == 1);
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
        String runId = trigger().runId();
        leaseOne("w1");
        ledger.runs().cancel(SCOPE, trigger().runId(), null); // another run, not leased: not swept
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ledger.maintenance().sweep().recovered() == 1);
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
        assertThat(TestDatabase.count("select count(*) from runs where run_id = '" + runId + "' and error = '"
                + lost + "'::jsonb and lease_expires_at is null")).isEqualTo(1);

        ledger.runs().cancel(SCOPE, runId, null);
        String other = trigger().runId();
        leaseOne("w2");
        ledger.runs().cancel(SCOPE, other, "bye");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ledger.maintenance().sweep().cancelled() == 1);
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
                    return swept.addAndGet(ledger.maintenance().sweep().total()) == 0;
                });
        assertThat(ledger.runs().get(SCOPE, runId).status()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void twoInstancesSweepingAtOnceRecoverEachRunOnce() throws Exception {
        int runs = 300;
        for (int i = 0; i < runs; i++) {
            trigger(TriggerRequest.of(json().put("i", i)));
        }
        assertThat(lease("w", 100)).hasSize(100);
        assertThat(lease("w", 100)).hasSize(100);
        assertThat(lease("w", 100)).hasSize(100);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> TestDatabase.count(
                "select count(*) from runs where status = 'running' and lease_expires_at < now()") == runs);

        try (RunLedger a = TestDatabase.ledgerBuilder().batchSize(7).build();
             RunLedger b = TestDatabase.ledgerBuilder().batchSize(7).build()) {
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<SweepResult> results = new CopyOnWriteArrayList<>();
            List<Future<?>> futures = List.of(
                    pool.submit(() -> { start.await(); return results.add(a.maintenance().sweep()); }),
                    pool.submit(() -> { start.await(); return results.add(b.maintenance().sweep()); }),
                    pool.submit(() -> { start.await(); return results.add(a.maintenance().sweep()); }),
                    pool.submit(() -> { start.await(); return results.add(b.maintenance().sweep()); }));
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            int recovered = results.stream().mapToInt(SweepResult::recovered).sum();
            assertThat(recovered).isEqualTo(runs);
            assertThat(results.stream().mapToInt(r -> r.failed() + r.cancelled()).sum()).isZero();
        }
        assertThat(TestDatabase.count("select count(*) from run_events where type = 'run.lease_expired'"))
                .isEqualTo(runs);
        assertThat(TestDatabase.count("select count(*) from runs where status = 'accepted' and attempt = 2"))
                .isEqualTo(runs);
        assertThat(TestDatabase.count(
                "select count(*) from (select run_id from run_events where type = 'run.lease_expired'"
                        + " group by run_id having count(*) > 1) d")).isZero();
    }

    @Test
    void aWorkersFailRacingTheSweeperEndsEachAttemptOnce() throws Exception {
        int runs = 40;
        for (int i = 0; i < runs; i++) {
            trigger(TriggerRequest.of(json().put("i", i)));
        }
        List<Lease> leases = lease("w", runs);
        assertThat(leases).hasSize(runs);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> TestDatabase.count(
                "select count(*) from runs where status = 'running' and lease_expires_at < now()") == runs);

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<SweepResult> sweep = pool.submit(() -> {
            start.await();
            return ledger.maintenance().sweep();
        });
        Future<Integer> failures = pool.submit(() -> {
            start.await();
            int failed = 0;
            for (Lease lease : leases) {
                try {
                    ledger.workers().fail(SCOPE, lease.runId(), lease.leaseToken(), RunError.of("e", "x"), true);
                    failed++;
                } catch (LeaseLostException e) {
                    // the sweeper ended this attempt first
                }
            }
            return failed;
        });
        start.countDown();
        int swept = sweep.get().recovered();
        int failed = failures.get();
        pool.shutdown();

        assertThat(swept + failed).isEqualTo(runs);
        assertThat(TestDatabase.count("select count(*) from run_events where type = 'run.retrying'")).isEqualTo(runs);
        assertThat(TestDatabase.count("select count(*) from run_events where type = 'run.lease_expired'"))
                .isEqualTo(swept);
        assertThat(TestDatabase.count("select count(*) from runs where status = 'accepted' and attempt = 2"))
                .isEqualTo(runs);
        for (Lease lease : leases) {
            assertThat(ledger.runs().rebuildProjection(SCOPE, lease.runId()).changed()).isFalse();
        }
    }

    @Test
    void theBackgroundSweeperReportsItsResults() {
        List<SweepResult> reports = new CopyOnWriteArrayList<>();
        try (RunLedger withLoops = TestDatabase.ledgerBuilder().backgroundLoops(true)
                .sweepInterval(Duration.ofMillis(200)).onSweep(reports::add).build()) {
            String runId = trigger().runId();
            leaseOne("w1");
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> reports.stream().mapToInt(SweepResult::recovered).sum() == 1);
            assertThat(withLoops.runs().get(SCOPE, runId).status()).isEqualTo(RunStatus.ACCEPTED);
        }
    }

    @Test
    void anEngineWithBackgroundLoopsSweepsExpiredLeasesBeforeItIsReturned() {
        String runId = trigger().runId();
        leaseOne("w1");
        // As after a crash: the lease ran out while no engine was there to sweep it.
        TestDatabase.sql("update runs set lease_expires_at = now() - interval '1 minute' where run_id = '" + runId + "'");
        // The periodic sweep is an hour away: only the boot sweep can have recovered it.
        try (RunLedger booted = TestDatabase.ledgerBuilder().backgroundLoops(true).sweepInterval(Duration.ofHours(1))
                .build()) {
            Run recovered = booted.runs().get(SCOPE, runId);
            assertThat(recovered.status()).isEqualTo(RunStatus.ACCEPTED);
            assertThat(recovered.attempt()).isEqualTo(2);
        }
    }
}

package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.api.Lease;
import io.runledger.api.LeaseLostException;
import io.runledger.api.Run;
import io.runledger.api.RunError;
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
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Invariant 8 inside the engine: sweeps on several instances never recover a run twice, a
 * worker racing the sweeper, the background and boot sweeps. What a sweep does to a run, seen
 * through the api, is in the contract suite ({@code WorkersContract}, {@code CancelContract}).
 */
class SweepTest extends LedgerTestBase {

    @Override
    protected ServiceSpec serviceSpec() {
        return new ServiceSpec(2, 1, null, null, null, new io.runledger.api.RetryPolicy(0.0, 0.0, 1.0, 0.0));
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

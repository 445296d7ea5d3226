package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.api.Completion;
import io.runledger.api.Lease;
import io.runledger.api.LeaseRequest;
import io.runledger.api.RetentionResult;
import io.runledger.api.ServiceSpec;
import io.runledger.api.TriggerRequest;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Two instances on one database run retention at once: SKIP LOCKED hands each run to one of
 * them, so together they delete every old run and every one of its events exactly once,
 * without waiting on each other or failing.
 */
class RetentionInstancesTest extends LedgerTestBase {

    @Override
    protected ServiceSpec serviceSpec() {
        return new ServiceSpec(3, 30, null, null, null, null, 7);
    }

    @Test
    void twoInstancesShareTheDeletesAndDeleteEachRunOnce() throws Exception {
        for (int b = 0; b < 6; b++) {
            List<TriggerRequest> items = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                items.add(TriggerRequest.of(json().put("i", i)));
            }
            ledger.batches().register(SCOPE, SERVICE, items);
            List<Lease> leases = ledger.workers().lease(SCOPE, LeaseRequest.of("w", List.of(SERVICE), 500,
                    Duration.ZERO));
            ledger.workers().completeAll(SCOPE, leases.stream()
                    .map(l -> new Completion(l.runId(), l.leaseToken(), json())).toList());
        }
        TestDatabase.sql("update runs set finished_at = now() - interval '30 days'");
        long events = TestDatabase.count("select count(*) from run_events");

        try (RunLedger other = TestDatabase.ledgerBuilder().build()) {
            List<RunLedger> instances = List.of(ledger, other);
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<RetentionResult>> passes = new ArrayList<>();
                for (RunLedger instance : instances) {
                    passes.add(pool.submit(() -> {
                        go.await();
                        RetentionResult total = RetentionResult.NONE;
                        for (RetentionResult r = instance.maintenance().retention(); r.runs() > 0;
                             r = instance.maintenance().retention()) {
                            total = total.plus(r);
                        }
                        return total;
                    }));
                }
                go.countDown();
                RetentionResult sum = passes.get(0).get().plus(passes.get(1).get());
                assertThat(sum.runs()).isEqualTo(3000);
                assertThat(sum.events()).isEqualTo(events);
            } finally {
                pool.shutdownNow();
            }
        }
        assertThat(TestDatabase.count("select count(*) from runs")).isZero();
        assertThat(TestDatabase.count("select count(*) from run_events")).isZero();
        assertThat(TestDatabase.count("select count(*) from batches")).isZero();
    }
}

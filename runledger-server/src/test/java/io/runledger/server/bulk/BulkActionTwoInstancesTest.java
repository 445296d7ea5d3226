package io.runledger.server.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.api.BulkAction;
import io.runledger.api.BulkActionRequest;
import io.runledger.api.BulkActionStatus;
import io.runledger.api.BulkFilter;
import io.runledger.api.RunStatus;
import io.runledger.api.ServiceSpec;
import io.runledger.api.TriggerRequest;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Two servers on one database and eight threads racing to process two bulk actions' pages:
 * every page is processed exactly once (the pages counted by the racers add up to the
 * actions' pages), and every run exactly once (one replay per original, one cancellation per
 * cancelled run).
 */
class BulkActionTwoInstancesTest {
    private static final String SCOPE = "acme";
    private static final int RUNS = 2_000;
    private static final int PAGES_EACH = RUNS / 500;

    @Test
    void twoInstancesRacingOverTheSamePagesNeverProcessARunTwice() throws Exception {
        TestDatabase.truncate();
        try (TestServer one = TestServer.start(b -> b.backgroundLoops(false), s -> s);
             TestServer two = TestServer.start(b -> b.backgroundLoops(false), s -> s)) {
            one.ledger.admin().scopePut(SCOPE);
            one.ledger.admin().servicePut(SCOPE, "old", new ServiceSpec(1, 30, null, null, null));
            one.ledger.admin().servicePut(SCOPE, "new", new ServiceSpec(1, 30, null, null, null));
            for (String service : List.of("old", "new")) {
                for (int b = 0; b < RUNS / 1000; b++) {
                    one.ledger.batches().register(SCOPE, service, IntStream.range(0, 1000)
                            .mapToObj(i -> TriggerRequest.of(Http.JSON.createObjectNode().put("i", i))).toList());
                }
            }
            // one action created on each instance
            BulkAction replay = one.ledger.bulkActions().create(SCOPE, BulkActionRequest.replay(
                    BulkFilter.all().withService("old")));
            BulkAction cancel = two.ledger.bulkActions().create(SCOPE, BulkActionRequest.cancel(
                    BulkFilter.all().withService("new"), null));

            AtomicInteger pagesOne = new AtomicInteger();
            AtomicInteger pagesTwo = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> racers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                TestServer instance = t % 2 == 0 ? one : two;
                AtomicInteger pages = t % 2 == 0 ? pagesOne : pagesTwo;
                racers.add(pool.submit(() -> {
                    go.await();
                    while (!finished(instance, replay) || !finished(instance, cancel)) {
                        int done = instance.ledger.maintenance().bulkActionPages(1);
                        pages.addAndGet(done);
                        if (done == 0) {
                            // every page is held by another racer: let it work rather than spin on two cores
                            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                        }
                    }
                    return null;
                }));
            }
            long started = System.nanoTime();
            go.countDown();
            for (Future<?> racer : racers) {
                racer.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            System.out.println("pages processed: instance one " + pagesOne.get() + ", instance two " + pagesTwo.get()
                    + ", in " + java.time.Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
            assertThat(pagesOne.get() + pagesTwo.get()).as("pages processed in all").isEqualTo(2 * PAGES_EACH);

            BulkAction replayed = two.ledger.bulkActions().get(SCOPE, replay.bulkActionId());
            BulkAction cancelled = one.ledger.bulkActions().get(SCOPE, cancel.bulkActionId());
            for (BulkAction a : List.of(replayed, cancelled)) {
                assertThat(a.status()).isEqualTo(BulkActionStatus.COMPLETED);
                assertThat(List.of(a.matched(), a.processed(), a.skipped(), a.failed()))
                        .containsExactly((long) RUNS, (long) RUNS, 0L, 0L);
            }
        }
        assertThat(TestDatabase.count("select count(*) from runs where replay_of is not null")).isEqualTo(RUNS);
        assertThat(TestDatabase.count("select count(distinct replay_of) from runs")).isEqualTo(RUNS);
        assertThat(TestDatabase.count("select count(*) from runs r where r.replay_of is not null and not exists"
                + " (select 1 from runs o where o.run_id = r.replay_of and o.service = 'old')")).isZero();
        assertThat(TestDatabase.count("select count(*) from run_events where type = 'run.cancelled'")).isEqualTo(RUNS);
        assertThat(TestDatabase.count("select count(distinct run_id) from run_events where type = 'run.cancelled'"))
                .isEqualTo(RUNS);
        assertThat(TestDatabase.count("select count(*) from runs where service = 'new' and status = '"
                + RunStatus.CANCELLED.wireName() + "'")).isEqualTo(RUNS);
    }

    private static boolean finished(TestServer instance, BulkAction action) {
        return instance.ledger.bulkActions().get(SCOPE, action.bulkActionId()).status().isFinal();
    }
}

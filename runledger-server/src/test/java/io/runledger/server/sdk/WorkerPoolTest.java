package io.runledger.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight worker processes ({@code runledger worker --command ...}, each its own JVM, four runs
 * at a time) drain 1,000 runs from the real server: every run succeeds on its first
 * attempt with exactly one terminal event, and nothing is left unsettled.
 */
class WorkerPoolTest extends ServerTestBase {
    private static final int WORKERS = 8;
    private static final int RUNS = 1000;
    private static final String TERMINAL = "('run.succeeded','run.failed','run.cancelled','run.expired')";

    @Test
    void eightWorkerProcessesSettleAThousandRunsExactlyOnce(@TempDir Path dir) throws Exception {
        String key = api.post(P + "/keys", null).json().get("key").asText();
        Map<String, String> env = Map.of("RUNLEDGER_URL", server.server.url(), "RUNLEDGER_KEY", key);
        List<ChildJvm> pool = new ArrayList<>();
        try {
            for (int w = 0; w < WORKERS; w++) {
                pool.add(ChildJvm.start(dir, dir.resolve("worker-" + w + ".log"), env, List.of("worker",
                        "--scope", SCOPE, "--service", SERVICE, "--worker-id", "pool-" + w, "--concurrency", "4",
                        "--command", "cat >/dev/null; echo '{\"ok\":true}'")));
            }
            // All eight are polling before the work arrives, so the run rate below is the pool's.
            Awaitility.await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200))
                    .alias("eight workers polling").until(() -> {
                        assertThat(pool).allMatch(p -> p.process().isAlive());
                        return api.get(P + "/workers").json().path("items").size() == WORKERS;
                    });

            StringBuilder items = new StringBuilder("{\"items\":[");
            for (int i = 0; i < RUNS; i++) {
                items.append(i == 0 ? "" : ",").append("{\"input\":{\"n\":").append(i).append("}}");
            }
            long started = System.nanoTime();
            Http.Reply batch = api.post(P + "/services/" + SERVICE + "/batches", items.append("]}").toString());
            assertThat(batch.status()).as(batch.toString()).isEqualTo(202);

            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .alias("1,000 runs succeeded").until(() ->
                            TestDatabase.count("select count(*) from runs where status = 'succeeded'") == RUNS);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("worker pool: %d runs by %d processes in %.2f s = %.0f runs/s%n",
                    RUNS, WORKERS, seconds, RUNS / seconds);
        } finally {
            ChildJvm.closeAll(pool);
        }

        assertThat(count("runs")).isEqualTo(RUNS);
        assertThat(TestDatabase.count("select count(*) from runs where status <> 'succeeded'")).isZero();
        // Executed once each: first attempt, one run.started, one terminal event.
        assertThat(TestDatabase.count("select count(*) from runs where attempt <> 1")).isZero();
        assertThat(TestDatabase.count("select count(*) from run_events where type = 'run.started'")).isEqualTo(RUNS);
        assertThat(TestDatabase.count("select count(*) from run_events where type in " + TERMINAL)).isEqualTo(RUNS);
        assertThat(TestDatabase.count("select count(*) from (select run_id from run_events where type in "
                + TERMINAL + " group by scope_id, run_id having count(*) <> 1) x")).isZero();
        assertThat(TestDatabase.count("select count(*) from runs where output <> '{\"ok\": true}'::jsonb"
                + " or output is null")).isZero();
        // The work was spread over the pool, not drained by one process.
        assertThat(TestDatabase.count("select count(distinct worker_id) from runs")).isGreaterThan(1);
    }
}

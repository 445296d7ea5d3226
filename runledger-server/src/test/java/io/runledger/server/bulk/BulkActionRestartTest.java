package io.runledger.server.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.Failure;
import io.runledger.api.Heartbeat;
import io.runledger.api.ItemOutcome;
import io.runledger.api.Lease;
import io.runledger.api.LeaseRef;
import io.runledger.api.LeaseRequest;
import io.runledger.api.RunError;
import io.runledger.api.RunStatus;
import io.runledger.api.ServiceSpec;
import io.runledger.api.TriggerRequest;
import io.runledger.core.RunLedger;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bulk cancel of 5,000 runs (2,500 running, 2,500 queued) across a hard stop: a real server
 * process takes the action's pages and is killed ({@code SIGKILL}) part-way; the page it was
 * in rolls back, a restarted server on the same database finishes the action, and every run is
 * processed exactly once: one stop request or one cancellation of the action's per run, and in
 * the end one terminal event per run, the running ones settled by their worker seeing the stop.
 */
class BulkActionRestartTest {
    private static final String SCOPE = "acme";
    private static final String P = "/v1/scopes/" + SCOPE;
    private static final int RUNS = 5_000;
    private static final int RUNNING = 2_500;

    @TempDir
    Path dir;

    @Test
    void aBulkCancelFinishesWithExactCountsAcrossAKillNineOfTheServerProcessingIt() throws Exception {
        TestDatabase.truncate();
        List<Lease> leases = new ArrayList<>();
        try (RunLedger setup = TestDatabase.ledgerBuilder().build()) {
            setup.admin().scopePut(SCOPE);
            setup.admin().servicePut(SCOPE, "work", new ServiceSpec(1, 300, null, null, null));
            setup.admin().servicePut(SCOPE, "other", new ServiceSpec(1, 300, null, null, null));
            for (int b = 0; b < RUNS / 1000; b++) {
                setup.batches().register(SCOPE, "work", IntStream.range(0, 1000)
                        .mapToObj(i -> TriggerRequest.of(Http.JSON.createObjectNode().put("i", i))).toList());
            }
            setup.runs().trigger(SCOPE, "other", TriggerRequest.of(Http.JSON.createObjectNode()));
            while (leases.size() < RUNNING) {
                leases.addAll(setup.workers().lease(SCOPE, LeaseRequest.of("w1", List.of("work"),
                        Math.min(1000, RUNNING - leases.size()), Duration.ZERO)));
            }
        }
        assertThat(TestDatabase.count("select count(*) from runs where status = 'running'")).isEqualTo(RUNNING);

        String actionId;
        long processedAtKill;
        Process first = serve();
        try {
            Http api = new Http(awaitUrl(first), TestServer.ADMIN_KEY);
            Http.Reply created = api.post(P + "/bulk-actions",
                    "{\"action\":\"cancel\",\"filter\":{\"service\":\"work\"},\"reason\":\"bulk stop\"}");
            assertThat(created.status()).as(created.toString()).isEqualTo(202);
            assertThat(created.json().get("matched").asInt()).isEqualTo(RUNS);
            actionId = created.json().get("bulkActionId").asText();
            // part-way: at least two pages committed, then a hard stop in the middle of the next
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                    .until(() -> api.get(P + "/bulk-actions/" + actionId).json().get("processed").asInt() >= 1000);
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no page finished
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        processedAtKill = TestDatabase.count("select processed from bulk_actions");
        long doneThrough = TestDatabase.count("select done_through from bulk_actions");
        System.out.println("bulk cancel killed at processed=" + processedAtKill + " of " + RUNS);
        assertThat(processedAtKill).as("the kill came part-way").isBetween(1000L, RUNS - 1L);
        assertThat(processedAtKill % 500).as("whole pages only").isZero();
        assertThat(doneThrough).isEqualTo(processedAtKill);
        assertThat(TestDatabase.count("select count(*) from bulk_action_runs where outcome is not null"))
                .as("the page in progress at the kill rolled back").isEqualTo(processedAtKill);
        assertThat(TestDatabase.count("select count(*) from run_events where type in "
                + "('run.cancelled', 'run.stop_requested')")).isEqualTo(processedAtKill);

        long restarted = System.nanoTime();
        try (TestServer second = TestServer.start()) {
            Http api = second.admin();
            Awaitility.await().atMost(Duration.ofSeconds(40)).until(() ->
                    api.get(P + "/bulk-actions/" + actionId).json().get("status").asText().equals("completed"));
            System.out.println("the restarted server finished the action in "
                    + Duration.ofNanos(System.nanoTime() - restarted).toMillis() + " ms");
            JsonNode action = api.get(P + "/bulk-actions/" + actionId).json();
            assertThat(List.of(action.get("matched").asInt(), action.get("processed").asInt(),
                    action.get("skipped").asInt(), action.get("failed").asInt())).containsExactly(RUNS, RUNS, 0, 0);

            // The worker still holding the running ones learns of the stop and gives up.
            for (int from = 0; from < leases.size(); from += 1000) {
                List<Lease> chunk = leases.subList(from, Math.min(leases.size(), from + 1000));
                List<ItemOutcome<Heartbeat>> beats = second.ledger.workers().heartbeatAll(SCOPE,
                        chunk.stream().map(l -> new LeaseRef(l.runId(), l.leaseToken())).toList());
                assertThat(beats).allMatch(b -> b.isOk() && b.value().stopRequested());
                assertThat(second.ledger.workers().failAll(SCOPE, chunk.stream().map(l -> new Failure(l.runId(),
                        l.leaseToken(), RunError.of("stopped", "asked to stop"), false)).toList()))
                        .allMatch(o -> o.isOk() && o.value().status() == RunStatus.CANCELLED);
            }
        }

        assertThat(TestDatabase.count("select count(*) from runs where service = 'work' and status = 'cancelled'"))
                .isEqualTo(RUNS);
        assertThat(TestDatabase.count("select count(*) from runs where service = 'other' and status = 'accepted'"))
                .isEqualTo(1);
        // one terminal event per run, and of the action's doing one stop request or cancellation per run
        assertThat(TestDatabase.count("select count(*) from run_events where type in ('run.succeeded', 'run.failed',"
                + " 'run.cancelled', 'run.expired')")).isEqualTo(RUNS);
        assertThat(TestDatabase.count("select count(distinct run_id) from run_events where type = 'run.cancelled'"))
                .isEqualTo(RUNS);
        assertThat(TestDatabase.count("select count(*) from run_events where type = 'run.stop_requested'"))
                .isEqualTo(RUNNING);
        assertThat(TestDatabase.count("select count(distinct run_id) from run_events where type = "
                + "'run.stop_requested'")).isEqualTo(RUNNING);
        assertThat(TestDatabase.count("select count(*) from run_events e where (e.type = 'run.stop_requested'"
                + " or (e.type = 'run.cancelled' and not exists (select 1 from run_events s where s.run_id = e.run_id"
                + " and s.type = 'run.stop_requested'))) and e.data::text like '%bulk stop%'")).isEqualTo(RUNS);
        assertThat(TestDatabase.count("select count(*) from bulk_action_runs where outcome = 'processed'"))
                .isEqualTo(RUNS);
    }

    private Process serve() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "io.runledger.server.cli.Main", "serve",
                "--port", "0", "--data-dir", dir.resolve("data").toString(), "--database-url", TestDatabase.jdbcUrl(),
                "--admin-key", TestServer.ADMIN_KEY)
                .redirectErrorStream(true);
        builder.environment().put("RUNLEDGER_DATABASE_USER", TestDatabase.user());
        builder.environment().put("RUNLEDGER_DATABASE_PASSWORD", TestDatabase.password());
        Process server = builder.start();
        server.getOutputStream().close();
        return server;
    }

    private static String awaitUrl(Process server) throws Exception {
        StringBuilder log = new StringBuilder();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String line = out.readLine();
            if (line == null) {
                break;
            }
            log.append(line).append('\n');
            if (line.startsWith("RunLedger listening on ")) {
                Thread.ofVirtual().start(() -> out.lines().forEach(l -> { })); // keep draining its log
                return line.substring("RunLedger listening on ".length()).strip();
            }
        }
        throw new AssertionError("the server did not start; it said:\n" + log);
    }
}

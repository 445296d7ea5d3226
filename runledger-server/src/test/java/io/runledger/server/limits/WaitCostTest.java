package io.runledger.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.Sse;
import io.runledger.server.testing.TestServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A waiting request costs nothing until it is woken: a lease poll reads the queue and
 * records its worker once, then holds no connection and runs no query until a wake-up (or
 * the slow safety re-check), yet a new run still reaches it at once. Lease attempts are
 * counted exactly by a statement-level trigger on {@code runs} (it fires for every UPDATE
 * statement, even one that claims no row), feeding a sequence, which no rollback undoes.
 */
class WaitCostTest {
    private static final int POLLS = 20;
    private TestServer server;
    private Http api;

    @BeforeEach
    void start() {
        TestDatabase.truncate();
        // No background loops: only the requests under test touch the runs table.
        server = TestServer.start(b -> b.backgroundLoops(false), b -> b);
        api = server.admin();
        assertThat(api.put("/v1/scopes/acme", null).status()).isEqualTo(201);
        assertThat(api.put("/v1/scopes/acme/services/idle", "{}").status()).isEqualTo(200);
        TestDatabase.sql("create sequence wait_cost_probe");
        TestDatabase.sql("create function wait_cost_probe() returns trigger language plpgsql as"
                + " $$ begin perform nextval('wait_cost_probe'); return null; end $$");
        TestDatabase.sql("create trigger wait_cost_probe after update on runs"
                + " for each statement execute function wait_cost_probe()");
    }

    @AfterEach
    void stop() {
        TestDatabase.sql("drop trigger if exists wait_cost_probe on runs");
        TestDatabase.sql("drop function if exists wait_cost_probe()");
        TestDatabase.sql("drop sequence if exists wait_cost_probe");
        server.close();
    }

    private static long runUpdates() {
        return TestDatabase.count("select coalesce((select last_value from wait_cost_probe where is_called), 0)");
    }

    private static Map<String, String> workerRowVersions() {
        Map<String, String> versions = new HashMap<>();
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select worker_id, xmin::text, last_seen_at from workers")) {
            while (rs.next()) {
                versions.put(rs.getString(1), rs.getString(2) + "@" + rs.getString(3));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return versions;
    }

    @Test
    void waitingLeasePollsDoNotReadOrWriteUntilWoken() throws Exception {
        List<CompletableFuture<Http.Reply>> polls = new ArrayList<>();
        for (int i = 0; i < POLLS; i++) {
            String body = "{\"workerId\":\"w" + i + "\",\"services\":[\"idle\"],\"waitSeconds\":6}";
            polls.add(CompletableFuture.supplyAsync(() -> api.post("/v1/scopes/acme/workers/lease", body)));
        }
        // Every poll made its first attempt (which records its worker), and now waits.
        await().atMost(Duration.ofSeconds(5)).until(() -> workerRowVersions().size() == POLLS);
        Map<String, String> rowsAtStart = workerRowVersions();
        for (CompletableFuture<Http.Reply> p : polls) {
            Http.Reply r = p.get();
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().get("leases")).isEmpty();
        }
        // One lease attempt per poll: no re-reads while waiting 6 s (the safety re-check is
        // far longer), where a poll used to re-read the queue every 2 s.
        assertThat(runUpdates()).isLessThanOrEqualTo(POLLS);
        // The worker row was written once per poll, not once per slice of the wait.
        assertThat(workerRowVersions()).isEqualTo(rowsAtStart);
    }

    @Test
    void aNewRunWakesAWaitingPollAtOnce() throws Exception {
        CompletableFuture<Http.Reply> poll = CompletableFuture.supplyAsync(() -> api.post(
                "/v1/scopes/acme/workers/lease", "{\"workerId\":\"w\",\"services\":[\"idle\"],\"waitSeconds\":30}"));
        await().atMost(Duration.ofSeconds(5)).until(() -> workerRowVersions().size() == 1);
        long before = runUpdates();
        Http.Reply trigger = api.post("/v1/scopes/acme/services/idle/runs", "{\"input\":1}");
        long triggered = System.nanoTime();
        assertThat(trigger.status()).isEqualTo(202);
        Http.Reply r = poll.get();
        Duration latency = Duration.ofNanos(System.nanoTime() - triggered);
        assertThat(r.json().get("leases")).hasSize(1);
        assertThat(r.json().get("leases").get(0).get("runId").asText()).isEqualTo(trigger.json().get("runId").asText());
        // Woken by the trigger's commit, not found by a later re-check (~100 ms; slack for CI).
        assertThat(latency).isLessThan(Duration.ofMillis(500));
        assertThat(runUpdates() - before).as("the trigger wakes the poll, which leases once").isLessThanOrEqualTo(2);
    }

    @Test
    void stoppingTheServerEndsManyStreamsAndPollsAtOnce() throws Exception {
        assertThat(api.put("/v1/scopes/acme/services/work", "{}").status()).isEqualTo(200);
        String runId = api.post("/v1/scopes/acme/services/work/runs", "{\"input\":1}").json().get("runId").asText();
        List<Sse.Open> streams = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            streams.add(Sse.open(api.request("/v1/scopes/acme/runs/" + runId + "/stream").GET().build()));
        }
        List<CompletableFuture<Http.Reply>> polls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String body = "{\"workerId\":\"w" + i + "\",\"services\":[\"idle\"],\"waitSeconds\":60}";
            polls.add(CompletableFuture.supplyAsync(() -> api.post("/v1/scopes/acme/workers/lease", body)));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> streams.stream().allMatch(s -> s.ids().equals(List.of(1L)))
                && workerRowVersions().size() == 10);

        long t0 = System.nanoTime();
        server.server.close();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        for (CompletableFuture<Http.Reply> p : polls) {
            assertThat(p.get().status()).isEqualTo(200);
            assertThat(p.get().json().get("leases")).isEmpty();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> streams.stream().allMatch(s -> s.ended));
    }
}

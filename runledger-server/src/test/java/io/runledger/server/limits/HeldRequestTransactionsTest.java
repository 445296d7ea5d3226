package io.runledger.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runledger.core.internal.db.Database;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.http.HeldRequests;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.Sse;
import io.runledger.server.testing.TestServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * What waiting lease polls and idle streams cost in transactions, by
 * {@code pg_stat_database.xact_commit}: a server's whole life (start, setup, work, stop) with
 * them, against the same life without them. Each life runs on a database of its own, created
 * for it: the count covers a whole database, and on the shared one a neighbour's connection
 * may report its transactions late (a backend reports when idle, at most once a second, or
 * when it exits) and be counted here. Statistics are read from another database, so reading
 * does not count, and only after the server's pool has closed, since a backend reports when
 * it exits.
 */
class HeldRequestTransactionsTest {
    private static final int POLLS = 20;
    /** The test server's pool size. */
    private static final int POOL = 8;
    private static final String APPLICATION = "held-request-transactions-test";
    private static final int STREAMS = 20;

    private static long stat(String query) {
        String url = TestDatabase.jdbcUrl().replace("/postgres", "/template1");
        try (Connection c = DriverManager.getConnection(url, TestDatabase.user(), TestDatabase.password());
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String DATABASE = "held_transactions";
    /** Migrated and vacuumed once per JVM; every life's database is a copy of it. */
    private static final String TEMPLATE = "held_transactions_template";
    private static boolean templateReady;

    private static long transactions() {
        return stat("select xact_commit from pg_stat_database where datname = '" + DATABASE + "'");
    }

    private static String urlOf(String database) {
        return TestDatabase.jdbcUrl().replace("/postgres", "/" + database);
    }

    private static void execute(String database, String... statements) {
        try (Connection c = DriverManager.getConnection(urlOf(database), TestDatabase.user(), TestDatabase.password());
             Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Drops and creates this test's database as a copy of a migrated, vacuumed template; none
     * of that is counted. Autovacuum's transactions count in the database too: a database
     * freshly migrated has catalogs and tables due for analysis, and a worker visiting it
     * during a longer life (more likely in a long test run, with many databases to visit)
     * added a dozen or more transactions to that life only. A copy of an analysed template
     * starts with nothing due, so the lives count the server's transactions alone.
     */
    private static synchronized String freshDatabase() {
        if (!templateReady) {
            execute("template1", "drop database if exists " + TEMPLATE + " with (force)",
                    "create database " + TEMPLATE);
            Database.open(urlOf(TEMPLATE), TestDatabase.user(), TestDatabase.password(), 2,
                    "held-transactions-migrate").close();
            execute(TEMPLATE, "vacuum (analyze, freeze)");
            templateReady = true;
        }
        execute("template1", "drop database if exists " + DATABASE + " with (force)",
                "create database " + DATABASE + " template " + TEMPLATE);
        return urlOf(DATABASE);
    }

    /** Transactions committed by one life of a server, from its start to its stop. */
    private static long lifetimeTransactions(Consumer<TestServer> work) {
        String url = freshDatabase();
        await().atMost(Duration.ofSeconds(10)).until(() -> stat(
                "select count(*) from pg_stat_activity where datname = '" + DATABASE + "'") == 0);
        long before = transactions();
        TestServer server = TestServer.start(b -> b.databaseUrl(url).backgroundLoops(false)
                .applicationName(APPLICATION), b -> b);
        try {
            Http api = server.admin();
            assertThat(api.put("/v1/scopes/acme", null).status()).isEqualTo(201);
            assertThat(api.put("/v1/scopes/acme/services/idle", "{}").status()).isEqualTo(200);
            // The pool opens its connections in the background, each with a statement or two of
            // its own; every life waits for the full pool, so a longer life (or a slower machine)
            // does not count more connections opened than a shorter one.
            await().atMost(Duration.ofSeconds(10)).until(() -> stat("select count(*) from pg_stat_activity"
                    + " where datname = '" + DATABASE + "' and application_name = '" + APPLICATION + "'") >= POOL);
            work.accept(server);
        } finally {
            server.close();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> stat(
                "select count(*) from pg_stat_activity where application_name = '" + APPLICATION + "'") == 0);
        return transactions() - before;
    }

    @Test
    void aWaitingPollCostsOneTransaction() {
        long idle = lifetimeTransactions(server -> { });
        long brief = lifetimeTransactions(server -> poll(server, 1));
        long waiting = lifetimeTransactions(server -> poll(server, 6));
        // Each poll: one transaction, plus now and then the pool's liveness check of a
        // connection idle for a while (more of those on a busy machine).
        assertThat(brief - idle).as("transactions of %s polls waiting 1 s", POLLS)
                .isBetween((long) POLLS, 3L * POLLS);
        // Waiting longer costs nothing more: polls used to re-read every 2 s (three more
        // transactions each over 6 s), and every engine transaction cost three more
        // statements to set and restore its isolation level.
        assertThat(waiting - brief).as("transactions of %s polls waiting 6 s instead of 1 s", POLLS)
                .isLessThan(POLLS / 2L);
    }

    private static void poll(TestServer server, int waitSeconds) {
        Http api = server.admin();
        List<CompletableFuture<Http.Reply>> polls = new ArrayList<>();
        for (int i = 0; i < POLLS; i++) {
            String body = "{\"workerId\":\"w" + i + "\",\"services\":[\"idle\"],\"waitSeconds\":" + waitSeconds + "}";
            polls.add(CompletableFuture.supplyAsync(() -> api.post("/v1/scopes/acme/workers/lease", body)));
        }
        polls.forEach(p -> assertThat(p.join().status()).isEqualTo(200));
    }

    @Test
    void anIdleStreamReadsTheLedgerOnceNotAtEveryKeepAlive() {
        long idle = lifetimeTransactions(server -> { });
        long brief = lifetimeTransactions(server -> stream(server, 0));
        long held = lifetimeTransactions(server -> stream(server, 4));
        // Per stream: the run's existence check and one read of the ledger (plus now and then
        // the pool's liveness check of an idle connection, more of those on a busy machine).
        assertThat(brief - idle).as("transactions of %s streams opened and closed", STREAMS)
                .isBetween((long) STREAMS, 4L * STREAMS);
        // Then nothing while idle: streams used to read the ledger at every keep-alive (four
        // more transactions each here).
        assertThat(held - brief).as("transactions of %s streams idle through 4 keep-alives", STREAMS)
                .isLessThan(STREAMS / 2L);
    }

    /** Opens the streams of one run, keeps them until each has had {@code keepAlives}, closes them. */
    private static void stream(TestServer server, int keepAlives) {
        Http api = server.admin();
        String runId = api.post("/v1/scopes/acme/services/idle/runs", "{\"input\":1}").json().get("runId").asText();
        List<Sse.Open> streams = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            streams.add(Sse.open(api.request("/v1/scopes/acme/runs/" + runId + "/stream").GET().build()));
        }
        // Every stream has its first event (the ledger was read), then keep-alives every 500 ms
        // (TestServer).
        await().atMost(Duration.ofSeconds(10)).until(() -> streams.stream().allMatch(s ->
                s.messages.stream().anyMatch(m -> !m.isComment())
                        && s.messages.stream().filter(Sse.Message::isComment).count() >= keepAlives));
        streams.forEach(Sse.Open::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.server.held()
                .heldInScope(HeldRequests.Kind.STREAM, "acme") == 0);
    }
}

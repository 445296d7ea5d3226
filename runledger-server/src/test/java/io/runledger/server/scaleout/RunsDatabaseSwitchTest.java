package io.runledger.server.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.core.RunLedger;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.TestServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A running deployment moves its run data to a dedicated database: one instance runs on the
 * main database alone, a second starts with the runs database while the first still serves,
 * the first stops. Runs created before stay readable, cancellable and completable by workers
 * (with the lease tokens they had); runs created after live only on the runs database, with
 * ids that say so; the runs list pages over both with every run once, while runs are created.
 */
class RunsDatabaseSwitchTest {
    private static final String SCOPE = "acme";
    private static final String P = "/v1/scopes/" + SCOPE;

    private String runsUrl;

    @BeforeEach
    void emptyDatabases() {
        TestDatabase.truncate();
        runsUrl = TestDatabase.freshDatabase("runledger_runs_switch");
    }

    @Test
    void runsBeforeTheSwitchStayUsableAndRunsAfterItLiveOnlyOnTheRunsDatabase() throws Exception {
        List<String> before = new ArrayList<>();
        JsonNode held;
        String keyed;
        TestServer old = TestServer.start();
        AtomicBoolean oldStopped = new AtomicBoolean();
        try {
            Http api = old.admin();
            assertThat(api.put(P, null).status()).isEqualTo(201);
            assertThat(api.put(P + "/services/work", "{\"maxAttempts\":3,\"leaseTtlSeconds\":60}").status())
                    .isEqualTo(200);
            for (int i = 0; i < 6; i++) {
                before.add(trigger(api, "{\"input\":{\"n\":" + i + "}}"));
            }
            keyed = api.post(P + "/services/work/runs", "{\"input\":{},\"idempotencyKey\":\"order-7\"}").json()
                    .get("runId").asText();
            before.add(keyed);
            held = lease(api, "old-worker", 1).get(0); // a worker holds this one across the switch

            // The second instance starts on both databases while the first still serves.
            try (TestServer split = TestServer.start(b -> b.runsDatabaseUrl(runsUrl), b -> b)) {
                oldStopped.set(true);
                old.close();
                Http both = split.admin();
                assertThat(split.ledger.split()).isTrue();

                // Created before: readable, cancellable, completable, with the tokens they had.
                for (String runId : before) {
                    assertThat(run(both, runId).get("runId").asText()).isEqualTo(runId);
                    assertThat(runId).as("an id minted before the split carries no mark").doesNotMatch(".{14}u.*");
                }
                assertThat(both.post(P + "/runs/" + before.get(5) + "/cancel", "{}").status()).isEqualTo(200);
                Http.Reply done = both.post(P + "/runs/" + held.get("runId").asText() + "/complete",
                        "{\"leaseToken\":\"" + held.get("leaseToken").asText() + "\",\"output\":{\"by\":\"old\"}}");
                assertThat(done.status()).as(done.toString()).isEqualTo(200);

                // A repeat of a trigger made before gets its first run back, from the main database.
                Http.Reply again = both.post(P + "/services/work/runs", "{\"input\":{},\"idempotencyKey\":\"order-7\"}");
                assertThat(again.status()).isEqualTo(200);
                assertThat(again.json().get("runId").asText()).isEqualTo(keyed);

                // Created after: resident ids, on the runs database only.
                List<String> after = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    after.add(trigger(both, "{\"input\":{\"new\":" + i + "}}"));
                }
                for (String runId : after) {
                    assertThat(runId.charAt(14)).as(runId).isEqualTo('u');
                    assertThat(TestDatabase.countOn(runsUrl, "select count(*) from runs where run_id = '" + runId + "'"))
                            .isEqualTo(1);
                    assertThat(TestDatabase.count("select count(*) from runs where run_id = '" + runId + "'"))
                            .isZero();
                    assertThat(TestDatabase.countOn(runsUrl, "select count(*) from run_events where run_id = '"
                            + runId + "'")).isEqualTo(1);
                }

                // A worker drains both: the old queued runs and the new ones, each settled once.
                Set<String> leased = new HashSet<>();
                for (int round = 0; round < 20 && leased.size() < 5 + 5; round++) {
                    for (JsonNode l : lease(both, "new-worker", 4)) {
                        assertThat(leased.add(l.get("runId").asText())).isTrue();
                        Http.Reply c = both.post(P + "/runs/" + l.get("runId").asText() + "/complete",
                                "{\"leaseToken\":\"" + l.get("leaseToken").asText() + "\",\"output\":{}}");
                        assertThat(c.status()).as(c.toString()).isEqualTo(200);
                    }
                }
                Set<String> expected = new HashSet<>(after);
                expected.addAll(before.subList(1, 5));
                expected.add(keyed);
                assertThat(leased).containsExactlyInAnyOrderElementsOf(expected);
                for (String runId : before) {
                    assertThat(run(both, runId).get("status").asText()).isIn("succeeded", "cancelled");
                    assertThat(terminalEvents(both, runId)).isEqualTo(1);
                }

                // The list pages over both, newest first, every run once, while runs are created.
                AtomicBoolean paging = new AtomicBoolean(true);
                List<String> createdMeanwhile = new ArrayList<>();
                Thread creator = Thread.ofVirtual().start(() -> {
                    while (paging.get()) {
                        createdMeanwhile.add(trigger(both, "{\"input\":{}}"));
                    }
                });
                Set<String> seen = new LinkedHashSet<>();
                String cursor = null;
                try {
                    do {
                        JsonNode page = both.get(P + "/runs?limit=3" + (cursor == null ? "" : "&cursor=" + cursor))
                                .json();
                        for (JsonNode r : page.get("items")) {
                            assertThat(seen.add(r.get("runId").asText())).as("listed once").isTrue();
                        }
                        cursor = page.path("nextCursor").isNull() || page.path("nextCursor").isMissingNode() ? null
                                : page.get("nextCursor").asText();
                    } while (cursor != null);
                } finally {
                    paging.set(false);
                    creator.join();
                }
                assertThat(seen).as("every run that existed when paging began").containsAll(before)
                        .containsAll(after);
                Set<String> all = new HashSet<>(before);
                all.addAll(after);
                all.addAll(createdMeanwhile);
                assertThat(all).containsAll(seen);
            }
        } finally {
            if (!oldStopped.get()) {
                old.close();
            }
        }
    }

    @Test
    void bulkActionsSchedulesAndKeysWorkAcrossBothDatabases() throws Exception {
        List<String> old = new ArrayList<>();
        try (TestServer first = TestServer.start()) {
            Http api = first.admin();
            assertThat(api.put(P, null).status()).isEqualTo(201);
            assertThat(api.put(P + "/services/work", "{\"maxAttempts\":3,\"leaseTtlSeconds\":60}").status())
                    .isEqualTo(200);
            for (int i = 0; i < 3; i++) {
                old.add(trigger(api, "{\"input\":{},\"tags\":[\"batch-a\"]}"));
            }
            old.add(trigger(api, "{\"input\":{},\"concurrencyKey\":\"user-1\"}"));
        }
        try (TestServer split = TestServer.start(b -> b.runsDatabaseUrl(runsUrl), b -> b)) {
            Http api = split.admin();
            // A concurrency key in use on the main database keeps its next run there.
            String sameKey = trigger(api, "{\"input\":{},\"concurrencyKey\":\"user-1\",\"onConflict\":\"enqueue\"}");
            assertThat(sameKey.charAt(14)).as("with its key's first run, on main").isNotEqualTo('u');
            assertThat(TestDatabase.count("select count(*) from runs where run_id = '" + sameKey + "'")).isEqualTo(1);
            String otherKey = trigger(api, "{\"input\":{},\"concurrencyKey\":\"user-2\"}");
            assertThat(otherKey.charAt(14)).isEqualTo('u');

            // A service changed on main holds at once for runs created on the runs database: the
            // runs engine's cached definition is dropped by the copy's notification.
            assertThat(api.put(P + "/services/work", "{\"maxAttempts\":3,\"leaseTtlSeconds\":60,\"inputSchema\":"
                    + "{\"type\":\"object\",\"required\":[\"order\"]}}").status()).isEqualTo(200);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(api.post(P + "/services/work/runs", "{\"input\":{}}").status()).isEqualTo(422));
            assertThat(api.put(P + "/services/work", "{\"maxAttempts\":3,\"leaseTtlSeconds\":60}").status())
                    .isEqualTo(200);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(api.post(P + "/services/work/runs", "{\"input\":{},\"tags\":[\"other\"]}").status())
                            .isEqualTo(202));

            // A bulk cancel of a filter acts on the runs of both databases, shown as one action.
            List<String> fresh = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                fresh.add(trigger(api, "{\"input\":{},\"tags\":[\"batch-a\"]}"));
            }
            Http.Reply created = api.post(P + "/bulk-actions", "{\"action\":\"cancel\",\"filter\":{\"tag\":\"batch-a\"}}");
            assertThat(created.status()).as(created.toString()).isIn(201, 202);
            String id = created.json().get("bulkActionId").asText();
            assertThat(created.json().get("matched").asLong()).isEqualTo(5);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> api.get(P + "/bulk-actions/" + id).json().get("status").asText().equals("completed"));
            assertThat(api.get(P + "/bulk-actions/" + id).json().get("processed").asLong()).isEqualTo(5);
            for (String runId : old.subList(0, 3)) {
                assertThat(run(api, runId).get("status").asText()).isEqualTo("cancelled");
            }
            for (String runId : fresh) {
                assertThat(run(api, runId).get("status").asText()).isEqualTo("cancelled");
            }
            assertThat(api.get(P + "/bulk-actions").json().get("items")).hasSize(1);

            // A schedule (control plane, on main) fires its runs into the runs database.
            assertThat(api.put(P + "/schedules/tick", "{\"service\":\"work\",\"cron\":\"* * * * * *\","
                    + "\"input\":{}}").status()).isIn(200, 201);
            String fired = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> api.get(P + "/schedules/tick").json().path("lastRunId").asText(null),
                            java.util.Objects::nonNull);
            assertThat(fired.charAt(14)).isEqualTo('u');
            assertThat(TestDatabase.countOn(runsUrl, "select count(*) from runs where run_id = '" + fired + "'"))
                    .isEqualTo(1);
            assertThat(TestDatabase.count("select count(*) from runs where metadata ? 'scheduleId'")).isZero();
            assertThat(api.put(P + "/schedules/tick", "{\"service\":\"work\",\"cron\":\"* * * * * *\","
                    + "\"input\":{},\"enabled\":false}").status()).isEqualTo(200);
        }
    }

    @Test
    void aRunsDatabaseUrlThatReachesTheMainDatabaseIsRefused() {
        String sameDatabase = TestDatabase.jdbcUrl().replace("127.0.0.1", "localhost");
        assertThatThrownBy(() -> TestDatabase.ledgerBuilder().runsDatabaseUrl(sameDatabase).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("reaches the same database as the main database")
                .hasMessageContaining("postgres");
    }

    @Test
    void aRunsDatabaseNeedsAnExternalMainDatabase() {
        assertThatThrownBy(() -> RunLedger.builder().dataDirectory(java.nio.file.Files.createTempDirectory("rl"))
                .runsDatabaseUrl(runsUrl).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs an external main database");
    }

    private static String trigger(Http api, String body) {
        Http.Reply r = api.post(P + "/services/work/runs", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r.json().get("runId").asText();
    }

    private static List<JsonNode> lease(Http api, String workerId, int max) {
        Http.Reply r = api.post(P + "/workers/lease", "{\"workerId\":\"" + workerId + "\",\"services\":[\"work\"],"
                + "\"max\":" + max + ",\"waitSeconds\":0}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        r.json().get("leases").forEach(out::add);
        return out;
    }

    private static JsonNode run(Http api, String runId) {
        Http.Reply r = api.get(P + "/runs/" + runId);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static long terminalEvents(Http api, String runId) {
        JsonNode events = api.get(P + "/runs/" + runId + "/events?limit=1000").json().get("items");
        long terminal = 0;
        for (JsonNode e : events) {
            String type = e.get("type").asText();
            if (type.equals("run.succeeded") || type.equals("run.failed") || type.equals("run.cancelled")
                    || type.equals("run.expired")) {
                terminal++;
            }
        }
        return terminal;
    }
}

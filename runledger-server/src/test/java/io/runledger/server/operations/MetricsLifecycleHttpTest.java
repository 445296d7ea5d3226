package io.runledger.server.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.runledger.api.ApiKeys;
import io.runledger.api.RunStatus;
import io.runledger.core.RunLedger;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.RunLedgerServer;
import io.runledger.server.metrics.ServerMetrics;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.MetricsText;
import io.runledger.server.testing.Promtool;
import io.runledger.server.testing.Sse;
import io.runledger.server.testing.TestServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} through a server's life: on a fresh server every main series is there at
 * zero, and after traffic and every background loop (sweeps, queue passes, schedules, webhook
 * dispatch, retention) nothing but the per-status HTTP counters has appeared; promtool accepts
 * the text in each state.
 */
class MetricsLifecycleHttpTest {
    private static final String P = "/v1/scopes/acme";
    private static final String RUNS = P + "/services/work/runs";
    private static final String ROUTE_TRIGGER = "/v1/scopes/{scope}/services/{service}/runs";
    private static final String ROUTE_WAIT = "/v1/scopes/{scope}/runs/{runId}/wait";

    private HttpServer receiver;
    private String receiverUrl;

    @BeforeEach
    void start() throws Exception {
        TestDatabase.truncate();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/ok", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.createContext("/broken", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        receiver.start();
        receiverUrl = "http://127.0.0.1:" + receiver.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    private static MetricsText scrape(Http http) {
        Http.Reply r = http.get("/metrics");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        String text = r.response().body();
        Promtool.assertMetricsPass(text);
        return MetricsText.parse(text);
    }

    private static double value(Http http, String series) {
        return MetricsText.parse(http.get("/metrics").response().body()).valueOrZero(series);
    }

    private static String ok(Http.Reply r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        return r.response().body();
    }

    private static String trigger(Http http, String body) {
        Http.Reply r = http.post(RUNS, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r.json().get("runId").asText();
    }

    private static JsonNode lease(Http http) {
        Http.Reply r = http.post(P + "/workers/lease",
                "{\"workerId\":\"w\",\"services\":[\"work\"],\"max\":1,\"waitSeconds\":0}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("leases")).as(r.toString()).hasSize(1);
        return r.json().get("leases").get(0);
    }

    @Test
    void everyMainSeriesIsThereFromTheStartAndPromtoolAcceptsEveryState() {
        try (TestServer server = TestServer.start(engine -> engine.webhookMaxAttempts(2)
                .retentionInterval(Duration.ofMillis(200)), s -> s)) {
            Http http = server.admin();

            // A fresh server, before any request but this scrape.
            MetricsText fresh = scrape(http);
            assertThat(fresh.value("runledger_runs_triggered_total")).isZero();
            assertThat(fresh.value("runledger_runs_started_total")).isZero();
            assertThat(fresh.value("runledger_schedules_fired_total")).isZero();
            for (RunStatus status : RunStatus.values()) {
                Double settled = fresh.value("runledger_runs_settled_total{status=\"" + status.wireName() + "\"}");
                if (status.isTerminal()) {
                    assertThat(settled).as(status.wireName()).isZero();
                } else {
                    assertThat(settled).as("no settled series for a status that is not terminal").isNull();
                }
            }
            for (String outcome : new String[] {"recovered", "failed", "cancelled"}) {
                assertThat(fresh.value("runledger_leases_expired_total{outcome=\"" + outcome + "\"}")).isZero();
            }
            for (String outcome : new String[] {"delivered", "retrying", "dead"}) {
                assertThat(fresh.value("runledger_webhook_deliveries_total{outcome=\"" + outcome + "\"}")).isZero();
            }
            for (String kind : new String[] {"runs", "events", "deliveries"}) {
                assertThat(fresh.value("runledger_retention_deleted_total{kind=\"" + kind + "\"}")).isZero();
            }
            assertThat(fresh.value("runledger_queue_promoted_total")).isZero();
            assertThat(fresh.value("runledger_queue_expired_total")).isZero();
            assertThat(fresh.value("runledger_queue_depth")).isZero();
            assertThat(fresh.value("runledger_queue_oldest_age_seconds")).isZero();
            assertThat(fresh.value("runledger_services_paused")).isZero();
            assertThat(fresh.value("runledger_sse_streams_open")).isZero();
            assertThat(fresh.value("runledger_sweeps_total")).isNotNull();
            assertThat(fresh.value("process_uptime_seconds")).isNotNull();
            // Every route's latency histogram, with its twelve buckets and +Inf.
            assertThat(server.server.routes()).hasSizeGreaterThan(50);
            for (RunLedgerServer.Route route : server.server.routes()) {
                String labels = "method=\"" + route.method() + "\",route=\"" + route.path() + "\"";
                assertThat(fresh.value("runledger_http_server_requests_seconds_count{" + labels + "}"))
                        .as(route.toString()).isZero();
                assertThat(fresh.series()).as(route.toString()).filteredOn(
                        s -> s.startsWith("runledger_http_server_requests_seconds_bucket{" + labels + ",le="))
                        .hasSize(13);
            }
            for (String kind : new String[] {"stream", "wait", "lease_poll"}) {
                assertThat(fresh.value("runledger_http_server_held_requests_seconds_count{kind=\"" + kind + "\"}"))
                        .isZero();
            }

            // Traffic: runs that succeed, fail, lose their lease, wait, are delayed and expire.
            ok(http.put(P, null), 201);
            ok(http.put(P + "/services/work", "{\"maxAttempts\":1,\"leaseTtlSeconds\":30,\"retentionDays\":1}"),
                    200);
            ok(http.put(P + "/services/idle", "{}"), 200);
            ok(http.put(P + "/webhooks/ok", "{\"url\":\"" + receiverUrl + "/ok\",\"events\":[\"run.succeeded\"]}"),
                    201);
            ok(http.put(P + "/webhooks/broken",
                    "{\"url\":\"" + receiverUrl + "/broken\",\"events\":[\"run.succeeded\"]}"), 201);
            String succeeded = trigger(http, "{\"input\":1}");
            ok(http.post(P + "/runs/" + succeeded + "/complete",
                    "{\"leaseToken\":\"" + lease(http).get("leaseToken").asText() + "\",\"output\":{}}"), 200);
            String failed = trigger(http, "{\"input\":2}");
            ok(http.post(P + "/runs/" + failed + "/fail", "{\"leaseToken\":\"" + lease(http).get("leaseToken").asText()
                    + "\",\"error\":{\"code\":\"boom\",\"message\":\"no\"}}"), 200);
            String lost = trigger(http, "{\"input\":3}");
            lease(http);
            TestDatabase.sql("update runs set lease_expires_at = now() - interval '1 second' where run_id = '"
                    + lost + "'");
            trigger(http, "{\"input\":4,\"delaySeconds\":1}");
            trigger(http, "{\"input\":5,\"ttlSeconds\":1}");
            ok(http.put(P + "/schedules/every-second",
                    "{\"service\":\"work\",\"cron\":\"* * * * * *\",\"input\":6}"), 201);
            // Held requests: a run wait, a lease poll that waits, a stream to its end.
            ok(http.get(P + "/runs/" + lost + "/wait?timeoutSeconds=1"), 200);
            assertThat(ok(http.post(P + "/workers/lease",
                    "{\"workerId\":\"w\",\"services\":[\"idle\"],\"max\":1,\"waitSeconds\":1}"), 200))
                    .contains("\"leases\":[]");
            Sse.readAll(http.request(P + "/runs/" + succeeded + "/stream").GET().build());

            // Every loop has done its part: sweeps, queue passes, schedules, webhook dispatch.
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                MetricsText m = MetricsText.parse(http.get("/metrics").response().body());
                assertThat(m.value("runledger_leases_expired_total{outcome=\"failed\"}")).isEqualTo(1);
                assertThat(m.value("runledger_webhook_deliveries_total{outcome=\"delivered\"}")).isEqualTo(1);
                assertThat(m.value("runledger_webhook_deliveries_total{outcome=\"dead\"}")).isEqualTo(1);
                assertThat(m.value("runledger_queue_promoted_total")).isEqualTo(1);
                assertThat(m.value("runledger_queue_expired_total")).isGreaterThanOrEqualTo(1);
                assertThat(m.value("runledger_schedules_fired_total")).isGreaterThanOrEqualTo(1);
            });
            ok(http.send("DELETE", P + "/schedules/every-second", null, Map.of()), 204);
            // And retention, once the succeeded run (its deliveries ended) is old enough.
            TestDatabase.sql("update runs set finished_at = now() - interval '2 days' where run_id = '"
                    + succeeded + "'");
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    value(http, "runledger_retention_deleted_total{kind=\"runs\"}")).isEqualTo(1));

            MetricsText after = scrape(http);
            assertThat(after.value("runledger_runs_settled_total{status=\"succeeded\"}")).isEqualTo(1);
            assertThat(after.value("runledger_runs_settled_total{status=\"failed\"}")).isEqualTo(2);
            assertThat(after.value("runledger_runs_settled_total{status=\"expired\"}")).isGreaterThanOrEqualTo(1);
            assertThat(after.value("runledger_webhook_deliveries_total{outcome=\"retrying\"}")).isEqualTo(1);
            // Held requests are timed apart and stay out of the latency histogram.
            assertThat(after.value("runledger_http_server_held_requests_seconds_count{kind=\"wait\"}")).isEqualTo(1);
            assertThat(after.value("runledger_http_server_held_requests_seconds_count{kind=\"stream\"}"))
                    .isEqualTo(1);
            assertThat(after.value("runledger_http_server_held_requests_seconds_count{kind=\"lease_poll\"}"))
                    .isEqualTo(1);
            assertThat(after.value("runledger_http_server_requests_seconds_count{method=\"GET\",route=\""
                    + ROUTE_WAIT + "\"}")).isZero();
            assertThat(after.value("runledger_http_server_responses_total{method=\"GET\",route=\"" + ROUTE_WAIT
                    + "\",status=\"200\"}")).isEqualTo(1);
            assertThat(after.value("runledger_http_server_requests_seconds_count{method=\"POST\",route=\""
                    + ROUTE_TRIGGER + "\"}")).isEqualTo(5);
            assertThat(after.value("runledger_http_server_requests_seconds_bucket{method=\"POST\",route=\""
                    + ROUTE_TRIGGER + "\",le=\"+Inf\"}")).isEqualTo(5);

            // Nothing the traffic or the loops did made a series that a fresh server lacked,
            // but the per-status answer counters (a route's statuses are known once answered).
            Set<String> born = new TreeSet<>(after.series());
            born.removeAll(fresh.series());
            assertThat(born).isNotEmpty().allMatch(s -> s.startsWith("runledger_http_server_responses_total{"));
        }
    }

    @Test
    void withScopeLabelsEachServiceStartsAtZeroAndAnEmptyQueueReadsZero() {
        ServerMetrics labelled = new ServerMetrics(true);
        try (RunLedger ledger = labelled.attachTo(TestDatabase.ledgerBuilder()).build();
             RunLedgerServer server = RunLedgerServer.builder(ledger).port(0)
                     .adminKeyHash(ApiKeys.hash(TestServer.ADMIN_KEY)).metrics(labelled).start()) {
            Http http = new Http(server.url(), TestServer.ADMIN_KEY);
            MetricsText fresh = scrape(http);
            assertThat(fresh.names()).as("no scope exists: no scope-labelled series")
                    .doesNotContain("runledger_runs_triggered_total", "runledger_queue_depth");

            ok(http.put(P, null), 201);
            ok(http.put(P + "/services/work", "{}"), 200);
            ok(http.put(P + "/services/idle", "{}"), 200);
            String labels = "scope=\"acme\",service=\"idle\"";
            MetricsText created = scrape(http);
            assertThat(created.value("runledger_runs_triggered_total{" + labels + "}")).isZero();
            assertThat(created.value("runledger_runs_settled_total{" + labels + ",status=\"failed\"}")).isZero();
            assertThat(created.value("runledger_queue_depth{" + labels + "}")).isZero();
            assertThat(created.value("runledger_queue_oldest_age_seconds{" + labels + "}")).isZero();

            trigger(http, "{\"input\":1}");
            String work = "scope=\"acme\",service=\"work\"";
            assertThat(scrape(http).value("runledger_queue_depth{" + work + "}")).isEqualTo(1);
            lease(http);
            MetricsText drained = scrape(http);
            assertThat(drained.value("runledger_queue_depth{" + work + "}")).as("a drained queue reads 0").isZero();
            assertThat(drained.value("runledger_runs_started_total{" + work + "}")).isEqualTo(1);
            assertThat(value(http, "runledger_runs_triggered_total{" + work + "}")).isEqualTo(1);
        }
    }
}

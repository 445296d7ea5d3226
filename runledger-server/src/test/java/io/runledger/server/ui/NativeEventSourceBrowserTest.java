package io.runledger.server.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.runledger.api.ApiKeys;
import io.runledger.core.RunLedger;
import io.runledger.core.internal.db.ListenPort;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.RunLedgerServer;
import io.runledger.server.metrics.ServerMetrics;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.TestServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The browser's own {@code EventSource}, in a real Chromium, reading a run's stream with a run
 * access token in its URL while the server is restarted on the same port and data: every
 * event arrives once, and after the terminal event the EventSource is closed for good (the
 * server's 204) instead of reconnecting every few seconds. And Observe, which reads the same
 * way, renews a token the restarted server refuses.
 */
class NativeEventSourceBrowserTest extends ObserveBrowserBase {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String STREAM_ROUTE = "/v1/scopes/{scope}/runs/{runId}/stream";
    private static final String TOKENS_ROUTE = "/v1/scopes/{scope}/runs/{runId}/access-tokens";
    private static final Pattern REQUEST_COUNT = Pattern.compile(
            "^runledger_http_server_responses_total\\{(.*)}\\s+(\\S+)$", Pattern.MULTILINE);

    /**
     * Opens {@code new EventSource(url)} in the page and records what it sees: the ids of
     * its messages, how many named events fired (none should), and its errors.
     */
    private static final String OPEN = """
            window.ids = [];
            window.named = 0;
            window.errors = 0;
            const source = new EventSource(arguments[0]);
            window.source = source;
            source.onmessage = m => window.ids.push(Number(m.lastEventId));
            for (const type of ['run.accepted', 'run.started', 'progress', 'run.succeeded']) {
              source.addEventListener(type, () => window.named++);
            }
            source.onerror = () => window.errors++;
            """;

    private Instance instance;
    private int port;

    /** One engine and its server on a fixed port, with metrics of its own to count its requests. */
    private record Instance(RunLedger ledger, RunLedgerServer server, ServerMetrics metrics) implements AutoCloseable {
        static Instance start(int port) {
            ServerMetrics metrics = new ServerMetrics();
            RunLedger ledger = TestDatabase.ledgerBuilder().listener(metrics).build();
            try {
                return new Instance(ledger, RunLedgerServer.builder(ledger).port(port)
                        .adminKeyHash(ApiKeys.hash(TestServer.ADMIN_KEY)).keepAlive(Duration.ofMillis(500))
                        .stopTimeout(Duration.ofSeconds(2)).metrics(metrics).start(), metrics);
            } catch (RuntimeException e) {
                ledger.close();
                throw e;
            }
        }

        /** Requests this instance answered on {@code route} with {@code status}. */
        long requests(String method, String route, int status) {
            long total = 0;
            Matcher m = REQUEST_COUNT.matcher(metrics.scrape());
            while (m.find()) {
                String labels = m.group(1);
                if (labels.contains("method=\"" + method + "\"") && labels.contains("route=\"" + route + "\"")
                        && labels.contains("status=\"" + status + "\"")) {
                    total += (long) Double.parseDouble(m.group(2));
                }
            }
            return total;
        }

        long streams(int status) {
            return requests("GET", STREAM_ROUTE, status);
        }

        @Override
        public void close() {
            server.close();
            ledger.close();
        }
    }

    @BeforeEach
    void startInstance() throws IOException {
        assumeTrue(browser != null, Browser.MISSING);
        port = ListenPort.pick();
        instance = Instance.start(port);
    }

    @AfterEach
    void stopInstance() {
        if (instance != null) {
            instance.close();
            instance = null;
        }
    }

    private void restart(Runnable whileStopped) {
        instance.close();
        instance = null;
        whileStopped.run();
        instance = Instance.start(port);
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    @Test
    void aNativeEventSourceReadsEveryEventOnceAcrossARestartAndStopsAfterTheTerminalEvent() {
        Http http = new Http(base(), scopeKey());
        String runId = trigger(http);
        String lease = lease(http, runId);
        Http.Reply issued = http.post(P + "/runs/" + runId + "/access-tokens", "{\"ttlSeconds\":600}");
        assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
        String token = issued.json().get("token").asText();
        append(http, runId, lease, 2);

        driver().get(base() + "/"); // a page of the server's own origin
        driver().executeScript(OPEN, base() + P + "/runs/" + runId + "/stream?access_token=" + token
                + "&eventNames=false");
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(ids()).isEqualTo(seqs(4));
            assertThat(readyState()).isEqualTo(1L);
        });

        // Stopped mid-stream; events are written while no server runs (through another
        // instance on the same database), and the browser keeps trying to reconnect.
        restart(() -> {
            append(api, runId, lease, 2);
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(errors()).isPositive();
                assertThat(readyState()).as("reconnecting").isEqualTo(0L);
            });
        });
        append(http, runId, lease, 1);
        assertThat(http.post(P + "/runs/" + runId + "/complete", "{\"leaseToken\":\"" + lease + "\",\"output\":1}")
                .status()).isEqualTo(200);

        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(ids()).as("every event once, in order").isEqualTo(seqs(8));
            assertThat(readyState()).as("closed after the terminal event").isEqualTo(2L);
        });
        long streams = instance.streams(200) + instance.streams(204);
        assertThat(instance.streams(204)).as("the reconnect after the terminal event").isEqualTo(1);
        // It stays closed: no reconnect reaches the server any more.
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).until(() ->
                readyState() == 2L && instance.streams(200) + instance.streams(204) == streams);
        assertThat(ids()).isEqualTo(seqs(8));
        assertThat(driver().executeScript("return window.named")).as("no named events").isEqualTo(0L);
    }

    @Test
    void observeRenewsATokenTheRestartedServerRefusesAndFollowsTheRunToItsEnd() {
        String key = scopeKey();
        Http http = new Http(base(), key);
        String runId = trigger(http);
        String lease = lease(http, runId);
        driver().get(base() + "/");
        driver().executeScript("sessionStorage.clear()");
        driver().navigate().refresh();
        signIn(key, SCOPE);
        awaitLanding();
        driver().get(base() + "/#/scopes/" + SCOPE + "/runs/" + runId);
        eventually().untilAsserted(() -> {
            assertThat(timelineSeqs()).isEqualTo(seqs(2));
            assertThat(streamState()).isEqualTo("live");
        });
        assertThat(instance.requests("POST", TOKENS_ROUTE, 201)).isEqualTo(1);

        // The page's token is gone (as if it had expired) when the server comes back.
        restart(() -> {
            TestDatabase.sql("delete from run_access_tokens");
            append(api, runId, lease, 2);
        });
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(timelineSeqs()).isEqualTo(seqs(4));
            assertThat(streamState()).isEqualTo("live");
        });
        assertThat(instance.requests("GET", STREAM_ROUTE, 401)).as("the old token refused").isPositive();
        assertThat(instance.requests("POST", TOKENS_ROUTE, 201)).as("one new token").isEqualTo(1);

        append(http, runId, lease, 1);
        assertThat(http.post(P + "/runs/" + runId + "/complete", "{\"leaseToken\":\"" + lease + "\",\"output\":1}")
                .status()).isEqualTo(200);
        eventually().untilAsserted(() -> {
            assertThat(timelineSeqs()).isEqualTo(seqs(6));
            assertThat(streamState()).isEqualTo("ended");
            assertThat(runStatus()).isEqualTo("succeeded");
        });
        assertThat(TestDatabase.count("select count(*) from run_access_tokens where run_id = '" + runId + "'"))
                .isEqualTo(1);
    }

    // --- the page ---

    @SuppressWarnings("unchecked")
    private static List<Long> ids() {
        return (List<Long>) driver().executeScript("return window.ids");
    }

    private static long readyState() {
        return (Long) driver().executeScript("return window.source.readyState");
    }

    private static long errors() {
        return (Long) driver().executeScript("return window.errors");
    }

    // --- the run: triggered, leased and reported on over HTTP ---

    private static String trigger(Http http) {
        Http.Reply r = http.post(P + "/services/" + SERVICE + "/runs", "{\"input\":{\"n\":1}}");
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r.json().get("runId").asText();
    }

    private static String lease(Http http, String runId) {
        Http.Reply r = http.post(P + "/workers/lease",
                "{\"workerId\":\"w\",\"services\":[\"" + SERVICE + "\"],\"max\":1,\"waitSeconds\":0}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("leases").get(0).get("runId").asText()).isEqualTo(runId);
        return r.json().get("leases").get(0).get("leaseToken").asText();
    }

    private static void append(Http http, String runId, String lease, int events) {
        for (int i = 0; i < events; i++) {
            Http.Reply r = http.post(P + "/runs/" + runId + "/events", "{\"leaseToken\":\"" + lease
                    + "\",\"events\":[{\"type\":\"progress\",\"data\":{\"i\":" + i + "}}]}");
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
        }
    }
}

package io.runledger.server.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.api.ApiKeys;
import io.runledger.core.RunLedger;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.RunLedgerServer;
import io.runledger.server.metrics.ServerMetrics;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import io.runledger.server.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} names services and scopes, so it needs the admin key or the metrics
 * token, unless made public; scope and service labels only when asked for.
 */
class MetricsAuthHttpTest extends ServerTestBase {
    private static final String TOKEN = "metrics-token-for-tests";

    private static String scopeKey() {
        Http.Reply r = api.post(P + "/keys", null);
        assertThat(r.status()).isEqualTo(201);
        return r.json().get("key").asText();
    }

    private static void assertUnauthorized(Http.Reply r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(401);
        assertThat(r.code()).isEqualTo("unauthorized");
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.response().body()).doesNotContain("runledger_");
    }

    @Test
    void metricsNeedTheAdminKeyByDefault() {
        triggerRun();
        assertUnauthorized(new Http(api.baseUrl(), null).get("/metrics"));
        assertUnauthorized(api.withKey("rla_wrong").get("/metrics"));
        assertUnauthorized(api.withKey(scopeKey()).get("/metrics"));
        Http.Reply ok = api.get("/metrics");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.response().body()).contains("runledger_runs_triggered_total")
                .doesNotContain("scope=").doesNotContain("service=\"work\"");
    }

    @Test
    void aMetricsTokenReadsMetricsAndNothingElse() {
        try (TestServer other = TestServer.start(b -> b, b -> b.metricsToken(TOKEN))) {
            Http token = new Http(other.server.url(), TOKEN);
            assertThat(token.get("/metrics").status()).isEqualTo(200);
            assertThat(other.admin().get("/metrics").status()).isEqualTo(200);
            assertUnauthorized(token.withKey(TOKEN + "x").get("/metrics"));
            assertThat(token.get(P + "/runs").status()).as("the token is not an API key").isEqualTo(401);
        }
    }

    @Test
    void publicMetricsNeedNoKey() {
        try (TestServer other = TestServer.start(b -> b, b -> b.metricsPublic(true))) {
            assertThat(new Http(other.server.url(), null).get("/metrics").status()).isEqualTo(200);
        }
    }

    @Test
    void scopeLabelsOnlyWhenAskedFor() {
        ServerMetrics labelled = new ServerMetrics(true);
        try (RunLedger ledger = TestDatabase.ledgerBuilder().listener(labelled).build();
             RunLedgerServer other = RunLedgerServer.builder(ledger).port(0)
                     .adminKeyHash(ApiKeys.hash(TestServer.ADMIN_KEY)).metrics(labelled).start()) {
            Http http = new Http(other.url(), TestServer.ADMIN_KEY);
            assertThat(http.post(P + "/services/" + SERVICE + "/runs", "{\"input\":1}").status()).isEqualTo(202);
            assertThat(http.get("/metrics").response().body()).contains(
                    "runledger_runs_triggered_total{scope=\"acme\",service=\"work\"} 1.0",
                    "runledger_queue_depth{scope=\"acme\",service=\"work\"} 1.0");
        }
    }
}

package io.runledger.server.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.Promtool;
import io.runledger.server.testing.ServerTestBase;
import org.junit.jupiter.api.Test;

/** {@code /metrics}: the counters move with the engine, and promtool accepts the text. */
class MetricsHttpTest extends ServerTestBase {

    @Test
    void metricsCountWhatHappenedAndPassPromtool() {
        String runId = triggerRun();
        JsonNode lease = leaseOne("w");
        api.post(P + "/runs/" + runId + "/complete", "{\"leaseToken\":\"" + lease.get("leaseToken").asText()
                + "\",\"output\":{}}");
        triggerRun(); // one left in the queue
        assertThat(api.post(P + "/services/" + SERVICE + "/pause", "{}").status()).isEqualTo(200);
        Http.Reply metrics = api.get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).startsWith("text/plain");
        String text = metrics.response().body();
        // Aggregated over scopes and services by default (see MetricsAuthHttpTest for labels).
        assertThat(text).contains("runledger_runs_triggered_total 2.0",
                "runledger_runs_started_total 1.0",
                "runledger_runs_settled_total{status=\"succeeded\"} 1.0",
                "runledger_queue_depth 1.0",
                "runledger_queue_oldest_age_seconds ",
                "runledger_sse_streams_open 0.0",
                "runledger_services_paused 1.0",
                "runledger_http_server_requests_seconds_bucket{");
        assertThat(text).doesNotContain("acme").doesNotContain("service=");
        Promtool.assertMetricsPass(text);
    }
}

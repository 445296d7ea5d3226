package io.runledger.server.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** {@code retentionDays} over HTTP, and what retention deleted in {@code /metrics}. */
class RetentionMetricsHttpTest extends ServerTestBase {

    @Test
    void retentionDaysIsSetValidatedAndTheDeletionsAreCounted() {
        Http.Reply bad = api.put(P + "/services/" + SERVICE, "{\"retentionDays\":3651}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("code").asText()).isEqualTo("invalid_argument");
        assertThat(api.put(P + "/services/" + SERVICE, "{\"retentionDays\":\"7\"}").status()).isEqualTo(400);
        Http.Reply put = api.put(P + "/services/" + SERVICE, "{\"retentionDays\":1}");
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.json().get("retentionDays").asInt()).isEqualTo(1);
        assertThat(api.get(P + "/services/" + SERVICE).json().get("retentionDays").asInt()).isEqualTo(1);

        String runId = triggerRun();
        String token = leaseOne("w").get("leaseToken").asText();
        assertThat(api.post(P + "/runs/" + runId + "/complete", "{\"leaseToken\":\"" + token + "\"}").status())
                .isEqualTo(200);
        TestDatabase.sql("update runs set finished_at = now() - interval '2 days' where run_id = '" + runId + "'");
        server.ledger.maintenance().retention();

        assertThat(api.get(P + "/runs/" + runId).status()).isEqualTo(404);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String text = api.get("/metrics").response().body();
            assertThat(text).contains("runledger_retention_deleted_total{kind=\"runs\"} 1.0");
            assertThat(text).contains("runledger_retention_deleted_total{kind=\"events\"} 3.0");
        });
    }
}

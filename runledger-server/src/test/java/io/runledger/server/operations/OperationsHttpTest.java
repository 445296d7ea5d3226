package io.runledger.server.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import org.junit.jupiter.api.Test;

/** Signals, batches and preflight over HTTP. */
class OperationsHttpTest extends ServerTestBase {

    @Override
    protected String serviceSpec() {
        return "{\"maxAttempts\":3,\"leaseTtlSeconds\":30,\"inputSchema\":{\"type\":\"object\",\"required\":[\"n\"]}}";
    }

    @Test
    void aSignalReachesTheWorkerOnItsHeartbeatAndIsAcked() {
        String runId = triggerRun();
        JsonNode lease = leaseOne("w");
        String token = lease.get("leaseToken").asText();
        Http.Reply sent = api.post(P + "/runs/" + runId + "/signals",
                "{\"type\":\"user.message\",\"data\":{\"text\":\"hurry\"},\"severity\":\"warning\"}");
        assertThat(sent.status()).as(sent.toString()).isEqualTo(202);
        String messageId = sent.json().get("messageId").asText();
        assertThat(api.get(P + "/runs/" + runId + "/messages").json().at("/items/0/status").asText())
                .isEqualTo("pending");

        JsonNode hb = api.post(P + "/runs/" + runId + "/heartbeat", "{\"leaseToken\":\"" + token + "\"}").json();
        assertThat(hb.get("messages")).hasSize(1);
        assertThat(hb.at("/messages/0/messageId").asText()).isEqualTo(messageId);
        assertThat(hb.at("/messages/0/data/text").asText()).isEqualTo("hurry");
        assertThat(api.get(P + "/runs/" + runId + "/messages").json().at("/items/0/status").asText())
                .isEqualTo("delivered");
        assertThat(api.post(P + "/runs/" + runId + "/messages/" + messageId + "/ack",
                "{\"leaseToken\":\"" + token + "\"}").json().get("status").asText()).isEqualTo("acked");
        assertThat(api.get(P + "/runs/" + runId + "/events").json().get("items")).extracting(e -> e.get("type").asText())
                .contains("run.signal");
        // refusals
        assertThat(api.post(P + "/runs/" + runId + "/signals", "{\"type\":\"Bad Type\"}").code())
                .isEqualTo("invalid_argument");
        assertThat(api.post(P + "/runs/run_missing/signals", "{\"type\":\"x\"}").code()).isEqualTo("run_not_found");
        assertThat(api.post(P + "/runs/" + runId + "/messages/" + messageId + "/ack", "{\"leaseToken\":\"stale\"}")
                .code()).isEqualTo("lease_lost");
    }

    @Test
    void aThousandItemBatchIsOneRequestAndOneBadItemWritesNothing() {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            items.append(i == 0 ? "" : ",").append("{\"input\":{\"n\":").append(i).append("},\"idempotencyKey\":\"b-")
                    .append(i).append("\"}");
        }
        Http.Reply created = api.post(P + "/services/" + SERVICE + "/batches", "{\"items\":[" + items + "]}");
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        assertThat(created.json().get("runIds")).hasSize(1000);
        assertThat(count("runs")).isEqualTo(1000);
        JsonNode batch = api.get(P + "/batches/" + created.json().get("batchId").asText()).json();
        assertThat(batch.get("size").asInt()).isEqualTo(1000);
        assertThat(batch.at("/counts/accepted").asInt()).isEqualTo(1000);
        assertThat(batch.get("done").asBoolean()).isFalse();

        TestDatabase.truncate();
        api.put("/v1/scopes/" + SCOPE, null);
        api.put(P + "/services/" + SERVICE, serviceSpec());
        String oneBad = "{\"items\":[{\"input\":{\"n\":1}},{\"input\":{}},{\"input\":{\"n\":3}}]}";
        assertThat(api.post(P + "/services/" + SERVICE + "/batches", oneBad).code()).isEqualTo("invalid_input");
        String unknownField = "{\"items\":[{\"input\":{\"n\":1}},{\"input\":{\"n\":2},\"bogus\":1}]}";
        Http.Reply r = api.post(P + "/services/" + SERVICE + "/batches", unknownField);
        assertThat(r.code()).isEqualTo("unknown_field");
        assertThat(r.json().toString()).contains("items[1]");
        assertThat(count("runs")).isZero();
        assertThat(count("batches")).isZero();
        assertThat(api.get(P + "/batches/bat_nope").code()).isEqualTo("batch_not_found");
    }

    @Test
    void validateChecksWithoutWriting() {
        Http.Reply ok = api.post(P + "/services/" + SERVICE + "/runs:validate", "{\"input\":{\"n\":1}}");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("valid").asBoolean()).isTrue();
        Http.Reply bad = api.post(P + "/services/" + SERVICE + "/runs:validate",
                "{\"input\":{},\"onConflict\":\"sideways\",\"concurrencyKey\":\"k\"}");
        assertThat(bad.status()).isEqualTo(200);
        assertThat(bad.json().get("valid").asBoolean()).isFalse();
        assertThat(bad.json().get("problems")).isNotEmpty();
        assertThat(count("runs")).isZero();
        assertThat(count("idempotency_keys")).isZero();
    }
}

package io.runledger.server.agentprotocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/**
 * A real server, scope {@code acme} with service (assistant) {@code work}, a scope key used as
 * {@code x-api-key}, and a worker played over HTTP by the test.
 */
abstract class ApTestBase extends ServerTestBase {
    protected String key;
    protected ApClient ap;

    @BeforeEach
    void scopeKey() {
        Http.Reply r = api.post(P + "/keys", "{}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        key = r.json().get("key").asText();
        ap = new ApClient(server.server.url(), SCOPE, key);
    }

    protected JsonNode newThread() {
        Http.Reply r = ap.post("/threads", "{}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    protected JsonNode createRun(String threadId, String body) {
        Http.Reply r = ap.post("/threads/" + threadId + "/runs", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    /** Leases the next run of {@code work}, waiting up to 5 s for one. */
    protected JsonNode lease() {
        Http.Reply r = api.post(P + "/workers/lease",
                "{\"workerId\":\"w1\",\"services\":[\"" + SERVICE + "\"],\"max\":1,\"waitSeconds\":5}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("leases")).as(r.toString()).hasSize(1);
        return r.json().get("leases").get(0);
    }

    protected void emit(JsonNode lease, String type, String data) {
        Http.Reply r = api.post(P + "/runs/" + lease.get("runId").asText() + "/events",
                "{\"leaseToken\":\"" + lease.get("leaseToken").asText() + "\",\"events\":[{\"type\":\"" + type
                        + "\",\"data\":" + data + "}]}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    protected void complete(JsonNode lease, String output) {
        Http.Reply r = api.post(P + "/runs/" + lease.get("runId").asText() + "/complete",
                "{\"leaseToken\":\"" + lease.get("leaseToken").asText() + "\",\"output\":" + output + "}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    protected void fail(JsonNode lease, String code) {
        Http.Reply r = api.post(P + "/runs/" + lease.get("runId").asText() + "/fail",
                "{\"leaseToken\":\"" + lease.get("leaseToken").asText() + "\",\"error\":{\"code\":\"" + code
                        + "\",\"message\":\"it broke\"}}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    /** Creates a token, names its interrupt value, and suspends the run on it; the token's id. */
    protected String interrupt(JsonNode lease, String value) {
        Http.Reply token = api.post(P + "/waitpoints", "{}");
        assertThat(token.status()).as(token.toString()).isEqualTo(201);
        String wp = token.json().get("waitpointId").asText();
        emit(lease, "custom.interrupt", "{\"value\":" + value + ",\"waitpointId\":\"" + wp + "\"}");
        Http.Reply r = api.post(P + "/runs/" + lease.get("runId").asText() + "/suspend",
                "{\"leaseToken\":\"" + lease.get("leaseToken").asText() + "\",\"step\":\"ask\",\"waitpoints\":"
                        + "[{\"kind\":\"token\",\"waitpointId\":\"" + wp + "\"}]}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return wp;
    }

    protected String runStatus(String threadId, String runId) {
        Http.Reply r = ap.get("/threads/" + threadId + "/runs/" + runId);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("status").asText();
    }

    protected static Map<String, String> header(String name, String value) {
        return Map.of(name, value);
    }
}

package io.runledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import io.runledger.server.testing.Sse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The steps of the README quickstart (curl), request for request as curl sends them. */
class QuickstartTest extends ServerTestBase {

    @Test
    void quickstart() {
        // curl -X PUT -H "Authorization: Bearer $ADMIN" $URL/v1/scopes/demo
        assertThat(api.put("/v1/scopes/demo", null).status()).isEqualTo(201);
        // curl -X POST -H "Authorization: Bearer $ADMIN" $URL/v1/scopes/demo/keys
        String key = api.post("/v1/scopes/demo/keys", null).json().get("key").asText();
        Http demo = api.withKey(key);
        // curl -X PUT ... $URL/v1/scopes/demo/services/summarize -d '{"maxAttempts":3,"leaseTtlSeconds":30}'
        Http.Reply service = demo.put("/v1/scopes/demo/services/summarize", "{\"maxAttempts\":3,\"leaseTtlSeconds\":30}");
        assertThat(service.status()).isEqualTo(200);
        // curl -i -X POST ... $URL/v1/scopes/demo/services/summarize/runs -H 'Idempotency-Key: doc-42' -d '{"input":...}'
        Http.Reply receipt = demo.send("POST", "/v1/scopes/demo/services/summarize/runs",
                "{\"input\":{\"url\":\"https://example.com/doc/42\"}}", java.util.Map.of("Idempotency-Key", "doc-42"));
        assertThat(receipt.status()).isEqualTo(202);
        String runId = receipt.json().get("runId").asText();
        // curl -X POST ... $URL/v1/scopes/demo/workers/lease -d '{"workerId":"w1","services":["summarize"],...}'
        Http.Reply leased = demo.post("/v1/scopes/demo/workers/lease",
                "{\"workerId\":\"w1\",\"services\":[\"summarize\"],\"max\":1,\"waitSeconds\":30}");
        JsonNode lease = leased.json().get("leases").get(0);
        assertThat(lease.get("runId").asText()).isEqualTo(runId);
        String token = lease.get("leaseToken").asText();
        // curl -X POST ... $URL/v1/scopes/demo/runs/$RUN/events -d '{"leaseToken":"...","events":[...]}'
        assertThat(demo.post("/v1/scopes/demo/runs/" + runId + "/events", "{\"leaseToken\":\"" + token
                + "\",\"events\":[{\"type\":\"progress\",\"data\":{\"pct\":50}}]}").status()).isEqualTo(200);
        // curl -X POST ... $URL/v1/scopes/demo/runs/$RUN/complete -d '{"leaseToken":"...","output":{...}}'
        Http.Reply done = demo.post("/v1/scopes/demo/runs/" + runId + "/complete",
                "{\"leaseToken\":\"" + token + "\",\"output\":{\"summary\":\"A short summary.\"}}");
        assertThat(done.json().get("status").asText()).isEqualTo("succeeded");
        // curl -N -H "Authorization: Bearer $KEY" $URL/v1/scopes/demo/runs/$RUN/stream
        List<Sse.Message> events = Sse.readAll(demo.request("/v1/scopes/demo/runs/" + runId + "/stream").GET().build());
        assertThat(events).extracting(Sse.Message::event)
                .containsExactly("run.accepted", "run.started", "progress", "run.succeeded");
        // curl -s -X POST ... $URL/v1/scopes/demo/runs/$RUN/access-tokens -d '{"ttlSeconds":600}'
        Http.Reply issued = demo.post("/v1/scopes/demo/runs/" + runId + "/access-tokens", "{\"ttlSeconds\":600}");
        assertThat(issued.status()).isEqualTo(201);
        String access = issued.json().get("token").asText();
        // .../stream?access_token=<token>&eventNames=false, as a browser's EventSource reads it
        List<Sse.Message> unnamed = Sse.readAll(new Http(demo.baseUrl(), null).request("/v1/scopes/demo/runs/"
                + runId + "/stream?access_token=" + access + "&eventNames=false").GET().build());
        assertThat(unnamed).extracting(m -> m.data().get("type").asText())
                .containsExactly("run.accepted", "run.started", "progress", "run.succeeded");
        assertThat(unnamed).extracting(Sse.Message::event).containsOnlyNulls();
        // curl -H "Authorization: Bearer $KEY" $URL/v1/scopes/demo/runs/$RUN
        assertThat(demo.get("/v1/scopes/demo/runs/" + runId).json().get("output").get("summary").asText())
                .isEqualTo("A short summary.");
    }
}

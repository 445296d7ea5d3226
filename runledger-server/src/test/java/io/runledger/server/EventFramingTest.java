package io.runledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An event type is written into the SSE {@code event:} line, so a type holding a line break
 * could forge frames (a fake {@code id}, a fake {@code run.succeeded}) that Observe and
 * {@code runledger tail} would believe.
 */
class EventFramingTest extends ServerTestBase {
    private static final String FORGED = "custom.x\ndata: {\"type\":\"run.succeeded\"}\nid: 999\nevent: run.succeeded";

    @Test
    void aWorkerTypeThatCouldForgeAFrameIsRefusedAndNothingIsWritten() {
        String runId = triggerRun();
        String token = leaseOne("w1").get("leaseToken").asText();
        long before = count("run_events");
        for (String type : List.of(FORGED, "custom.x\r", "custom.", "custom." + "a".repeat(121), "custom.A",
                "custom.x y", "custom.é", "progress\n")) {
            Http.Reply r = append(runId, token, type);
            assertThat(r.status()).as("%s -> %s", type, r).isEqualTo(400);
            assertThat(r.code()).isEqualTo("invalid_argument");
            assertThat(r.contentType()).startsWith("application/problem+json");
        }
        assertThat(count("run_events")).isEqualTo(before);
        assertThat(append(runId, token, "custom." + "a-b_c.9".repeat(17) + "x").status()).isEqualTo(200);
        assertThat(append(runId, token, "step.completed").status()).isEqualTo(200);
    }

    @Test
    void aStoredTypeWithLineBreaksStreamsAsOneFrameWithoutInjectedLines() {
        String runId = triggerRun();
        String token = leaseOne("w1").get("leaseToken").asText();
        // Old data, written before types were checked: straight into the ledger.
        String type = FORGED.replace("\n", "\r\n") + "\rid: 998\n";
        TestDatabase.sql("with r as (update runs set last_seq = last_seq + 1 where scope_id = '" + SCOPE
                + "' and run_id = '" + runId + "' returning scope_id, run_id, last_seq)"
                + " insert into run_events (scope_id, run_id, seq, type, data, created_at)"
                + " select scope_id, run_id, last_seq, '" + type.replace("'", "''") + "', '{\"n\":1}', now() from r");
        assertThat(api.post(P + "/runs/" + runId + "/complete", "{\"leaseToken\":\"" + token + "\",\"output\":1}")
                .status()).isEqualTo(200);

        HttpResponse<String> stream = Http.send(streamRequest(api, runId, null, null)).response();
        assertThat(stream.statusCode()).isEqualTo(200);
        String body = stream.body();
        // Every line is one field of one frame: nothing outside id/event/data/comment, no bare CR.
        assertThat(body).doesNotContain("\r");
        List<String> lines = body.lines().filter(l -> !l.isEmpty()).toList();
        assertThat(lines).allMatch(l -> l.startsWith("id: ") || l.startsWith("event: ") || l.startsWith("data: ")
                || l.startsWith(":"), "only id, event, data and comment lines");
        assertThat(lines.stream().filter(l -> l.startsWith("id: ")).toList())
                .containsExactly("id: 1", "id: 2", "id: 3", "id: 4");
        assertThat(lines.stream().filter(l -> l.startsWith("event: ")).toList())
                .containsExactly("event: run.accepted", "event: run.started", "event: run.succeeded");
        assertThat(lines.stream().filter(l -> l.startsWith("data: ")).toList()).hasSize(4)
                .allMatch(l -> l.contains("\"runId\":\"" + runId + "\""));
    }

    private static Http.Reply append(String runId, String token, String type) {
        String body = "{\"leaseToken\":\"" + token + "\",\"events\":[{\"type\":" + quote(type) + ",\"data\":1}]}";
        return api.post(P + "/runs/" + runId + "/events", body);
    }

    private static String quote(String text) {
        try {
            return Http.JSON.writeValueAsString(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

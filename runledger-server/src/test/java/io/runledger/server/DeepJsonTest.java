package io.runledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * JSON depth: a request may nest 64 levels, and whatever the database holds (here 999
 * levels, written by SQL as old data would be) can still be read back by every endpoint.
 */
class DeepJsonTest extends ServerTestBase {
    /** Reads answers however deep they are, so the test sees what the server sent. */
    private static final ObjectMapper READER = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(10_000).build()).build()).build();

    private static String nested(int depth) {
        return "[".repeat(depth) + "1" + "]".repeat(depth);
    }

    @Test
    void aRequestNestedDeeperThan64LevelsIsRefusedAndWritesNothing() {
        String runId = triggerRun();
        String token = leaseOne("w1").get("leaseToken").asText();
        long runs = count("runs");
        long events = count("run_events");
        // The body object is level 1, so an input of 63 levels makes a body of 64.
        Http.Reply ok = trigger("{\"input\":" + nested(63) + "}");
        assertThat(ok.status()).as(ok.toString()).isEqualTo(202);
        runs++;
        events++;
        for (int depth : new int[] {64, 999, 5_000}) {
            List<Http.Reply> replies = List.of(
                    trigger("{\"input\":" + nested(depth) + "}"),
                    api.post(P + "/runs/" + runId + "/events", "{\"leaseToken\":\"" + token
                            + "\",\"events\":[{\"type\":\"log\",\"data\":" + nested(depth) + "}]}"),
                    api.post(P + "/runs/" + runId + "/complete", "{\"leaseToken\":\"" + token + "\",\"output\":"
                            + nested(depth) + "}"),
                    api.put(P + "/services/deep", "{\"inputSchema\":" + "{\"not\":".repeat(depth) + "{}"
                            + "}".repeat(depth) + "}"),
                    api.post(P + "/runs/" + runId + "/signals", "{\"type\":\"t\",\"data\":" + nested(depth) + "}"));
            for (Http.Reply r : replies) {
                assertThat(r.status()).as("depth %d: %s", depth, r).isEqualTo(400);
                assertThat(r.contentType()).startsWith("application/problem+json");
                assertThat(r.code()).as(r.toString()).isEqualTo("invalid_argument");
            }
        }
        assertThat(count("runs")).isEqualTo(runs);
        assertThat(count("run_events")).isEqualTo(events);
        assertThat(count("services")).isEqualTo(1);
        assertThat(count("run_messages")).isZero();
        assertThat(run(runId).get("status").asText()).isEqualTo("running");
    }

    @Test
    void storedJsonOf999LevelsIsReadBackByEveryEndpoint() {
        String runId = triggerRun();
        String deep = nested(999);
        TestDatabase.sql("update runs set input = '" + deep + "', metadata = '{\"m\":" + deep + "}'"
                + " where scope_id = '" + SCOPE + "' and run_id = '" + runId + "'");
        TestDatabase.sql("with r as (update runs set last_seq = last_seq + 1 where scope_id = '" + SCOPE
                + "' and run_id = '" + runId + "' returning scope_id, run_id, last_seq)"
                + " insert into run_events (scope_id, run_id, seq, type, data, created_at)"
                + " select scope_id, run_id, last_seq, 'log', '" + deep + "', now() from r");
        HttpResponse<String> cancel = text(api.request(P + "/runs/" + runId + "/cancel")
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
        assertThat(depth(read(cancel.body()).get("input"))).isEqualTo(999);

        assertThat(depth(ok(P + "/runs").get("items").get(0).get("input"))).isEqualTo(999);
        assertThat(depth(ok(P + "/runs/" + runId).get("input"))).isEqualTo(999);
        assertThat(depth(ok(P + "/runs/" + runId + "/events").get("items").get(1).get("data")))
                .isEqualTo(999);

        HttpResponse<String> export = text(api.request(P + "/runs/" + runId + "/events")
                .header("Accept", "application/x-ndjson").GET().build());
        assertThat(export.statusCode()).isEqualTo(200);
        List<String> lines = export.body().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(depth(read(lines.get(1)).get("data"))).isEqualTo(999);

        HttpResponse<String> stream = text(streamRequest(api, runId, null, null));
        assertThat(stream.statusCode()).isEqualTo(200);
        List<String> data = stream.body().lines().filter(l -> l.startsWith("data: ")).toList();
        assertThat(data).hasSize(3);
        assertThat(depth(read(data.get(1).substring(6)).get("data"))).isEqualTo(999);
        assertThat(read(data.get(2).substring(6)).get("type").asText()).isEqualTo("run.cancelled");
    }

    /** GET as text: the tests' shared client would refuse to parse answers this deep. */
    private static JsonNode ok(String path) {
        HttpResponse<String> r = text(api.request(path).GET().build());
        assertThat(r.statusCode()).as(r.statusCode() + " " + r.body()).isEqualTo(200);
        return read(r.body());
    }

    private static HttpResponse<String> text(java.net.http.HttpRequest request) {
        try {
            return Http.client().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String text) {
        try {
            return READER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int depth(JsonNode node) {
        int depth = 0;
        while (node != null && node.isContainerNode()) {
            depth++;
            node = node.elements().hasNext() ? node.elements().next() : null;
        }
        return depth;
    }

}

package io.runledger.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import io.runledger.server.testing.Sse;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Lossless, resumable SSE streams (invariant 9) and the streaming trigger. */
class StreamHttpTest extends ServerTestBase {

    /** A finished run with {@code progress} events: accepted, started, progress x n, succeeded. */
    private String finishedRun(int progressEvents) {
        String runId = triggerRun();
        String token = leaseOne("w1").get("leaseToken").asText();
        for (int i = 0; i < progressEvents; i++) {
            Http.Reply r = api.post(P + "/runs/" + runId + "/events", "{\"leaseToken\":\"" + token
                    + "\",\"events\":[{\"type\":\"progress\",\"data\":{\"i\":" + i + "}}]}");
            assertThat(r.status()).isEqualTo(200);
        }
        api.post(P + "/runs/" + runId + "/complete", "{\"leaseToken\":\"" + token + "\",\"output\":\"ok\"}");
        return runId;
    }

    @Test
    void streamCarriesTheWholeLedgerAndEndsAfterTheTerminalEvent() {
        String runId = finishedRun(2);
        List<Sse.Message> events = Sse.readAll(streamRequest(api, runId, null, null));
        assertThat(events).extracting(Sse.Message::id).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(events).extracting(Sse.Message::event)
                .containsExactly("run.accepted", "run.started", "progress", "progress", "run.succeeded");
        JsonNode data = events.get(2).data();
        assertThat(data.get("runId").asText()).isEqualTo(runId);
        assertThat(data.get("seq").asLong()).isEqualTo(3);
        assertThat(data.get("type").asText()).isEqualTo("progress");
        assertThat(data.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(data.get("data").get("i").asInt()).isZero();
        assertThat(data.get("createdAt").asText()).endsWith("Z");
    }

    @Test
    void resumeFromEveryPositionGivesExactlyTheRemainingEvents() {
        String runId = finishedRun(3);
        long last = run(runId).get("lastSeq").asLong();
        assertThat(last).isEqualTo(6);
        for (long n = 0; n <= last; n++) {
            List<Long> expected = LongStream.rangeClosed(n + 1, last).boxed().toList();
            assertThat(Sse.readAll(streamRequest(api, runId, null, String.valueOf(n))))
                    .as("Last-Event-ID: %d", n).extracting(Sse.Message::id).containsExactlyElementsOf(expected);
            assertThat(Sse.readAll(streamRequest(api, runId, "?after=" + n, null)))
                    .as("?after=%d", n).extracting(Sse.Message::id).containsExactlyElementsOf(expected);
        }
        // The header wins over the query, as a browser reconnect adds it to the original URL.
        assertThat(Sse.readAll(streamRequest(api, runId, "?after=1", "4"))).extracting(Sse.Message::id)
                .containsExactly(5L, 6L);
    }

    @Test
    void liveStreamDeliversEventsAsTheyAreAppendedWithKeepAlives() {
        String runId = triggerRun();
        Sse.Open stream = Sse.open(streamRequest(api, runId, null, null));
        assertThat(stream.response.statusCode()).isEqualTo(200);
        assertThat(stream.response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        await().atMost(Duration.ofSeconds(5)).until(() -> stream.ids().equals(List.of(1L)));
        // keepAlive is 500 ms in tests (15 s by default).
        await().atMost(Duration.ofSeconds(5)).until(() -> stream.messages.stream().anyMatch(Sse.Message::isComment));

        String token = leaseOne("w1").get("leaseToken").asText();
        await().atMost(Duration.ofSeconds(5)).until(() -> stream.ids().equals(List.of(1L, 2L)));
        api.post(P + "/runs/" + runId + "/events",
                "{\"leaseToken\":\"" + token + "\",\"events\":[{\"type\":\"output.delta\",\"data\":\"he\"},"
                        + "{\"type\":\"output.delta\",\"data\":\"llo\"}]}");
        api.post(P + "/runs/" + runId + "/complete", "{\"leaseToken\":\"" + token + "\",\"output\":\"hello\"}");
        await().atMost(Duration.ofSeconds(5)).until(() -> stream.ended);
        assertThat(stream.ids()).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void streamingTriggerRegistersTheRunAndStreamsItFromItsAcceptance() {
        HttpRequest request = api.request(P + "/services/" + SERVICE + "/runs:stream")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"input\":{\"q\":1}}")).build();
        Sse.Open stream = Sse.open(request);
        assertThat(stream.response.statusCode()).isEqualTo(200);
        String location = stream.response.headers().firstValue("Content-Location").orElseThrow();
        await().atMost(Duration.ofSeconds(5)).until(() -> !stream.events().isEmpty());
        Sse.Message first = stream.events().get(0);
        assertThat(first.id()).isEqualTo(1L);
        assertThat(first.event()).isEqualTo("run.accepted");
        String runId = first.data().get("runId").asText();
        assertThat(location).isEqualTo(P + "/runs/" + runId);
        assertThat(api.get(location).json().get("status").asText()).isEqualTo("accepted");

        String token = leaseOne("w1").get("leaseToken").asText();
        api.post(P + "/runs/" + runId + "/complete", "{\"leaseToken\":\"" + token + "\",\"output\":1}");
        await().atMost(Duration.ofSeconds(5)).until(() -> stream.ended);
        assertThat(stream.ids()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void droppingAStreamNeverCancelsTheRun() {
        Sse.Open stream = Sse.open(api.request(P + "/services/" + SERVICE + "/runs:stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"input\":1}")).build());
        await().atMost(Duration.ofSeconds(5)).until(() -> !stream.events().isEmpty());
        String runId = stream.events().get(0).data().get("runId").asText();
        stream.close();
        // Keep-alives (every 500 ms here) make the server notice the drop; the run stays.
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(run(runId).get("status").asText()).isEqualTo("accepted"));
    }

    @Test
    void droppingAStreamWithOnDisconnectCancelCancelsTheRun() {
        Sse.Open stream = Sse.open(api.request(P + "/services/" + SERVICE + "/runs:stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"input\":1,\"onDisconnect\":\"cancel\"}")).build());
        await().atMost(Duration.ofSeconds(5)).until(() -> !stream.events().isEmpty());
        String runId = stream.events().get(0).data().get("runId").asText();
        stream.close();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(run(runId).get("status").asText()).isEqualTo("cancelled"));
    }

    @Test
    void withEventNamesFalseNoEventLineIsWrittenAndTheTypeStaysInTheData() {
        String runId = finishedRun(1);
        Http.Reply raw = Http.send(streamRequest(api, runId, "?eventNames=false", null));
        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.response().body()).contains("id: 4\n").doesNotContain("event:");
        List<Sse.Message> unnamed = Sse.readAll(streamRequest(api, runId, "?eventNames=false", null));
        assertThat(unnamed).extracting(Sse.Message::id).containsExactly(1L, 2L, 3L, 4L);
        assertThat(unnamed).extracting(m -> m.data().get("type").asText())
                .containsExactly("run.accepted", "run.started", "progress", "run.succeeded");
        assertThat(Sse.readAll(streamRequest(api, runId, "?eventNames=true&after=2", null)))
                .extracting(Sse.Message::event).containsExactly("progress", "run.succeeded");

        // The streaming trigger takes it too, and a value that is neither true nor false registers nothing.
        Sse.Open triggered = Sse.open(api.request(P + "/services/" + SERVICE + "/runs:stream?eventNames=false")
                .POST(HttpRequest.BodyPublishers.ofString("{\"input\":1}")).build());
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> !triggered.events().isEmpty());
            assertThat(triggered.events().get(0).event()).isNull();
            assertThat(triggered.events().get(0).data().get("type").asText()).isEqualTo("run.accepted");
        } finally {
            triggered.close();
        }
        long runs = count("runs");
        for (String bad : List.of("?eventNames=no", "?eventNames=")) {
            Http.Reply r = Http.send(streamRequest(api, runId, bad, null));
            assertThat(r.status()).as(bad + ": " + r).isEqualTo(400);
            assertThat(r.code()).isEqualTo("invalid_argument");
            Http.Reply t = Http.send(api.request(P + "/services/" + SERVICE + "/runs:stream" + bad)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"input\":1}")).build());
            assertThat(t.code()).as(bad).isEqualTo("invalid_argument");
        }
        assertThat(count("runs")).isEqualTo(runs);
    }

    @Test
    void aResumeAtOrAfterTheTerminalEventIs204SoABrowserStopsReconnecting() {
        String runId = finishedRun(1);
        for (String[] resume : new String[][] {{null, "4"}, {null, "40"}, {"?after=4", null}, {"?after=1", "4"}}) {
            Http.Reply r = Http.send(streamRequest(api, runId, resume[0], resume[1]));
            assertThat(r.status()).as(String.join(",", java.util.Arrays.asList(resume))).isEqualTo(204);
            assertThat(r.response().body()).isEmpty();
        }
        assertThat(Sse.readAll(streamRequest(api, runId, null, "3"))).extracting(Sse.Message::id).containsExactly(4L);

        // A live run resumed past its last seq is an open stream that waits for more.
        String live = triggerRun();
        Sse.Open open = Sse.open(streamRequest(api, live, null, "5"));
        try {
            assertThat(open.response.statusCode()).isEqualTo(200);
        } finally {
            open.close();
        }
    }

    @Test
    void streamOfAnUnknownRunIs404BeforeAnyEvent() {
        Http.Reply r = Http.send(streamRequest(api, "run_01jzzzzzzzzzzzzzzzzzzzzzzz", null, null));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.code()).isEqualTo("run_not_found");
    }
}

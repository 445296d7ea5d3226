package io.runledger.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.Sse;
import io.runledger.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Stopping a server ends long waits and streams promptly with proper answers, not resets. */
class GracefulShutdownTest {

    @Test
    void closeAnswersWaitingRequestsAndEndsStreams() throws Exception {
        TestDatabase.truncate();
        TestServer server = TestServer.start();
        Http api = server.admin();
        api.put("/v1/scopes/acme", null);
        api.put("/v1/scopes/acme/services/work", "{}");
        String runId = api.post("/v1/scopes/acme/services/work/runs", "{\"input\":1}").json().get("runId").asText();
        api.put("/v1/scopes/acme/services/idle", "{}");

        CompletableFuture<Http.Reply> poll = CompletableFuture.supplyAsync(() -> api.post(
                "/v1/scopes/acme/workers/lease", "{\"workerId\":\"w\",\"services\":[\"idle\"],\"waitSeconds\":60}"));
        Sse.Open stream = Sse.open(api.request("/v1/scopes/acme/runs/" + runId + "/stream").GET().build());
        await().atMost(Duration.ofSeconds(5)).until(() -> stream.ids().equals(List.of(1L)));
        // Close only once the poll is held by the server: its first, empty claim records "w" as
        // seen, after the poll has joined the waits that a close ends. A poll not yet sent would
        // meet a closed server instead of being answered by it.
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() ->
                api.get("/v1/scopes/acme/workers").json().get("items").valueStream()
                        .anyMatch(w -> w.get("workerId").asText().equals("w")));
        assertThat(poll).isNotDone();

        long t0 = System.nanoTime();
        server.close();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        Http.Reply r = poll.get();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("leases")).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> stream.ended);
    }
}

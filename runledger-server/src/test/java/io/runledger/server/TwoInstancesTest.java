package io.runledger.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import io.runledger.server.testing.Sse;
import io.runledger.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two server instances on one database: a stream served by instance B carries, in order and
 * without loss, the events appended through instance A (woken across processes by NOTIFY).
 */
class TwoInstancesTest extends ServerTestBase {
    private TestServer other;

    @BeforeEach
    void startSecondInstance() {
        other = TestServer.start();
    }

    @AfterEach
    void stopSecondInstance() {
        other.close();
    }

    @Test
    void streamOnInstanceBSeesEventsAppendedThroughInstanceA() {
        Http a = api;
        Http b = other.admin();
        String runId = triggerRun();
        Sse.Open stream = Sse.open(streamRequest(b, runId, null, null));
        await().atMost(Duration.ofSeconds(5)).until(() -> stream.ids().equals(List.of(1L)));

        String token = leaseOne("w1").get("leaseToken").asText();
        int batches = 20;
        for (int i = 0; i < batches; i++) {
            Http.Reply r = a.post(P + "/runs/" + runId + "/events", "{\"leaseToken\":\"" + token
                    + "\",\"events\":[{\"type\":\"progress\",\"data\":{\"i\":" + i + "}},{\"type\":\"log\",\"data\":\"x\"}]}");
            assertThat(r.status()).isEqualTo(200);
        }
        a.post(P + "/runs/" + runId + "/complete", "{\"leaseToken\":\"" + token + "\",\"output\":\"ok\"}");

        await().atMost(Duration.ofSeconds(10)).until(() -> stream.ended);
        long last = 2 + 2L * batches + 1;
        assertThat(stream.ids()).containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
        assertThat(stream.events().get((int) last - 1).event()).isEqualTo("run.succeeded");
        // And the run B reads is the one A wrote.
        assertThat(b.get(P + "/runs/" + runId).json().get("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void aWorkerLongPollingOnBIsWokenByATriggerOnA() throws Exception {
        var poll = java.util.concurrent.CompletableFuture.supplyAsync(() -> other.admin().post(P + "/workers/lease",
                "{\"workerId\":\"wb\",\"services\":[\"work\"],\"max\":1,\"waitSeconds\":20}"));
        // Trigger only once the poll on B has made its first, empty claim (which records "wb" as
        // seen, after the poll has taken its wake-up ticket): from then on only a wake-up from A,
        // through NOTIFY, can bring it the run before its 20 s wait ends empty.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() ->
                workerIds(api.get(P + "/workers")).contains("wb"));
        assertThat(poll).isNotDone();
        String runId = triggerRun();
        Http.Reply r = poll.get();
        assertThat(r.json().get("leases").get(0).get("runId").asText()).isEqualTo(runId);
    }

    private static List<String> workerIds(Http.Reply workers) {
        return workers.json().get("items").valueStream().map(w -> w.get("workerId").asText()).toList();
    }
}

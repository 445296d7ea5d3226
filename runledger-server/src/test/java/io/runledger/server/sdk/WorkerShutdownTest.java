package io.runledger.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.runledger.api.Run;
import io.runledger.api.RunStatus;
import io.runledger.client.RunLedgerClient;
import io.runledger.client.Worker;
import io.runledger.server.testing.ServerTestBase;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A worker that shuts down while its lease long-poll is open does not strand the next run:
 * the server cannot see that the poll's caller left, so the run it hands to that poll must
 * still be executed (the worker finishes it inside its shutdown grace), not left to expire.
 */
class WorkerShutdownTest extends ServerTestBase {

    @Test
    void aRunArrivingWhileAWorkerShutsDownIsNotStranded() {
        RunLedgerClient client = RunLedgerClient.builder().url(server.server.url())
                .key(api.post(P + "/keys", null).json().get("key").asText()).build();
        Worker leaving = Worker.builder(client).scope(SCOPE).workerId("leaving").pollWait(Duration.ofSeconds(10))
                .handle(SERVICE, (ctx, input) -> JsonNodeFactory.instance.objectNode().put("by", "leaving"))
                .build().start();
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> api.get(P + "/workers").json().path("items").size() == 1);
        var shutdown = leaving.shutdown();
        String runId = triggerRun();
        Worker staying = Worker.builder(client).scope(SCOPE).workerId("staying").pollWait(Duration.ofSeconds(1))
                .handle(SERVICE, (ctx, input) -> JsonNodeFactory.instance.objectNode().put("by", "staying"))
                .build().start();
        try {
            Run run = Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> client.runs().get(SCOPE, runId), r -> r.status().isTerminal());
            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.attempt()).as("settled on the first attempt, not after a lease expiry").isEqualTo(1);
            assertThat(shutdown).succeedsWithin(Duration.ofSeconds(15));
        } finally {
            staying.close();
            leaving.close();
        }
    }
}

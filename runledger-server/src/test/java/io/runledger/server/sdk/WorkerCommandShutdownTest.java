package io.runledger.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.testing.ServerTestBase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to {@code runledger worker} mid-run: after its shutdown grace the worker stops
 * its command and hands the run back, so another worker finishes it at once as attempt 2,
 * long before the 30-second lease would have expired; the worker process exits by itself.
 */
class WorkerCommandShutdownTest extends ServerTestBase {
    private static final String SCRIPT = "cat >/dev/null; if [ \"$RUNLEDGER_ATTEMPT\" = 1 ]; then echo started;"
            + " sleep 60; fi; echo \"{\\\"attempt\\\": $RUNLEDGER_ATTEMPT}\"";

    @Test
    void aWorkerStoppedWithSigtermHandsItsRunBack(@TempDir Path dir) throws Exception {
        String key = api.post(P + "/keys", null).json().get("key").asText();
        Map<String, String> env = Map.of("RUNLEDGER_URL", server.server.url(), "RUNLEDGER_KEY", key);
        String runId = triggerRun();
        ChildJvm leaving = ChildJvm.start(dir, dir.resolve("leaving.log"), env, worker("leaving"));
        ChildJvm next = null;
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> api.get(P + "/runs/" + runId + "/events").json().get("items")
                            .findValuesAsText("type").contains("output.delta"));
            List<ProcessHandle> script = leaving.process().descendants().toList();
            assertThat(script).isNotEmpty();

            long sigterm = System.nanoTime();
            leaving.process().destroy(); // SIGTERM
            assertThat(leaving.process().waitFor(20, TimeUnit.SECONDS)).as(leaving.output()).isTrue();
            System.out.printf("worker shutdown on SIGTERM: %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigterm));
            // The worker stopped its command before it exited (reaping may lag a moment).
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> script.stream().noneMatch(ProcessHandle::isAlive));
            JsonNode released = run(runId);
            assertThat(released.get("status").asText()).isEqualTo("accepted");
            assertThat(released.get("attempt").asInt()).isEqualTo(2);

            next = ChildJvm.start(dir, dir.resolve("next.log"), env, worker("next"));
            ChildJvm n = next;
            JsonNode done = Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> run(runId), r -> {
                        assertThat(n.process().isAlive()).as(n.output()).isTrue();
                        return r.get("status").asText().equals("succeeded");
                    });
            assertThat(done.get("workerId").asText()).isEqualTo("next");
            assertThat(done.get("output").get("attempt").asInt()).isEqualTo(2);
            List<String> types = api.get(P + "/runs/" + runId + "/events").json().get("items").findValuesAsText("type");
            assertThat(types).doesNotContain("run.lease_expired").containsOnlyOnce("run.succeeded");
        } finally {
            leaving.kill();
            if (next != null) {
                next.close();
            }
        }
    }

    private static List<String> worker(String id) {
        return List.of("worker", "--scope", SCOPE, "--service", SERVICE, "--worker-id", id, "--command", SCRIPT,
                "--shutdown-grace-seconds", "1", "--stop-grace-seconds", "1");
    }
}

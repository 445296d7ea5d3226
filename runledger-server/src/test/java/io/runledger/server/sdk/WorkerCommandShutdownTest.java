package io.runledger.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.testing.ServerTestBase;
import java.nio.file.Files;
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
 * its command, waits for it to end, and only then hands the run back, so another worker
 * (already polling) finishes it as attempt 2 long before the 30-second lease would have
 * expired, and the two attempts never run at the same time.
 */
class WorkerCommandShutdownTest extends ServerTestBase {
    /** Attempt 1 hangs and, on SIGTERM, takes a second to clean up; attempt 2 answers at once. */
    private static final String SCRIPT = """
            cat >/dev/null
            if [ "$RUNLEDGER_ATTEMPT" = 1 ]; then
              trap 'sleep 1; date +%s%N > attempt1-ended; exit 143' TERM
              echo started
              sleep 60 &
              wait
            fi
            date +%s%N > attempt2-started
            echo "{\\"attempt\\": $RUNLEDGER_ATTEMPT}"
            """;

    @Test
    void aWorkerStoppedWithSigtermHandsItsRunBackOnceItsCommandHasEnded(@TempDir Path dir) throws Exception {
        String key = api.post(P + "/keys", null).json().get("key").asText();
        Map<String, String> env = Map.of("RUNLEDGER_URL", server.server.url(), "RUNLEDGER_KEY", key);
        String runId = triggerRun();
        ChildJvm leaving = ChildJvm.start(dir, dir.resolve("leaving.log"), env, worker("leaving"));
        ChildJvm next = null;
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> types(runId).contains("output.delta"));
            List<ProcessHandle> script = leaving.process().descendants().toList();
            assertThat(script).isNotEmpty();
            next = ChildJvm.start(dir, dir.resolve("next.log"), env, worker("next"));
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> api.get(P + "/workers").json().path("items").size() == 2);

            long sigterm = System.nanoTime();
            leaving.process().destroy(); // SIGTERM
            assertThat(leaving.process().waitFor(20, TimeUnit.SECONDS)).as(leaving.output()).isTrue();
            System.out.printf("worker shutdown on SIGTERM: %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigterm));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> script.stream().noneMatch(ProcessHandle::isAlive));

            ChildJvm n = next;
            JsonNode done = Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> run(runId), r -> {
                        assertThat(n.process().isAlive()).as(n.output()).isTrue();
                        return r.get("status").asText().equals("succeeded");
                    });
            assertThat(done.get("workerId").asText()).isEqualTo("next");
            assertThat(done.get("attempt").asInt()).isEqualTo(2);
            assertThat(done.get("output").get("attempt").asInt()).isEqualTo(2);
            assertThat(types(runId)).doesNotContain("run.lease_expired").containsOnlyOnce("run.succeeded");
            long ended = Long.parseLong(Files.readString(dir.resolve("attempt1-ended")).strip());
            long started = Long.parseLong(Files.readString(dir.resolve("attempt2-started")).strip());
            assertThat(started).as("attempt 2 began after attempt 1 had ended").isGreaterThan(ended);
        } finally {
            leaving.kill();
            if (next != null) {
                next.close();
            }
        }
    }

    private static List<String> types(String runId) {
        return api.get(P + "/runs/" + runId + "/events").json().get("items").findValuesAsText("type");
    }

    private static List<String> worker(String id) {
        return List.of("worker", "--scope", SCOPE, "--service", SERVICE, "--worker-id", id, "--command", SCRIPT,
                "--shutdown-grace-seconds", "1", "--stop-grace-seconds", "5");
    }
}

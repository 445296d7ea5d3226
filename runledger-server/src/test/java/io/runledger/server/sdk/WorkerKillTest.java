package io.runledger.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.ServerTestBase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker process killed with SIGKILL mid-run loses nothing: when its 2-second lease
 * expires the sweeper puts the run back, another worker process leases it as attempt 2
 * and finishes it, and the run has exactly one outcome.
 */
class WorkerKillTest extends ServerTestBase {
    /** Attempt 1 announces itself and hangs; a later attempt answers at once. */
    private static final String SCRIPT = "cat >/dev/null; if [ \"$RUNLEDGER_ATTEMPT\" = 1 ]; then echo hanging;"
            + " exec sleep 60; fi; echo \"{\\\"attempt\\\": $RUNLEDGER_ATTEMPT}\"";

    @Override
    protected String serviceSpec() {
        return "{\"maxAttempts\":3,\"leaseTtlSeconds\":2}";
    }

    @Test
    void aRunWhoseWorkerIsKilledIsReleasedAndFinishedOnceByAnother(@TempDir Path dir) throws Exception {
        String key = api.post(P + "/keys", null).json().get("key").asText();
        Map<String, String> env = Map.of("RUNLEDGER_URL", server.server.url(), "RUNLEDGER_KEY", key);
        String runId = triggerRun();
        ChildJvm doomed = ChildJvm.start(dir, dir.resolve("doomed.log"), env, worker("doomed"));
        ChildJvm survivor = null;
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .alias("attempt 1 hanging in the doomed worker").until(() -> {
                        assertThat(doomed.process().isAlive()).as(doomed.output()).isTrue();
                        return TestDatabase.count("select count(*) from run_events where type = 'output.delta'"
                                + " and data->>'text' = E'hanging\\n'") == 1;
                    });
            assertThat(run(runId).get("workerId").asText()).isEqualTo("doomed");
            // The second worker is already polling when the first dies, and must not get the
            // run before the lease has expired.
            survivor = ChildJvm.start(dir, dir.resolve("survivor.log"), env, worker("survivor"));
            doomed.kill();
            assertThat(doomed.process().exitValue()).isEqualTo(137);

            ChildJvm s = survivor;
            JsonNode settled = Awaitility.await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100))
                    .alias("the run finished by the survivor")
                    .until(() -> run(runId), r -> {
                        assertThat(s.process().isAlive()).as(s.output()).isTrue();
                        return r.get("status").asText().equals("succeeded");
                    });
            assertThat(settled.get("attempt").asInt()).isEqualTo(2);
            assertThat(settled.get("workerId").asText()).isEqualTo("survivor");
            assertThat(settled.get("output").get("attempt").asInt()).isEqualTo(2);
        } finally {
            doomed.kill();
            if (survivor != null) {
                survivor.close();
            }
        }
        List<String> types = api.get(P + "/runs/" + runId + "/events?limit=200").json().findValuesAsText("type");
        // The recovery retries after the retry policy's backoff: scheduled, then resumed when due.
        assertThat(types).containsExactly("run.accepted", "run.started", "output.delta", "run.lease_expired",
                "run.retrying", "run.resumed", "run.started", "output.delta", "run.succeeded");
        assertThat(TestDatabase.count("select count(*) from run_events where type in"
                + " ('run.succeeded','run.failed','run.cancelled','run.expired')")).isEqualTo(1);
    }

    private static List<String> worker(String id) {
        return List.of("worker", "--scope", SCOPE, "--service", SERVICE, "--worker-id", id, "--command", SCRIPT);
    }
}

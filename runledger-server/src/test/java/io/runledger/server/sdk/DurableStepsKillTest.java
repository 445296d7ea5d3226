package io.runledger.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.ServerTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable steps survive a worker killed with SIGKILL: a handler of three steps dies after
 * step 2; the next attempt, in another worker process, replays steps 1 and 2 from the ledger
 * and does step 3, so each step's side effect happened exactly once in all.
 */
class DurableStepsKillTest extends ServerTestBase {
    /**
     * Each step appends to the side-effect file unless the run recorded it (the steps file),
     * then records it; attempt 1 hangs after step 2 until it is killed.
     */
    private static final String SCRIPT = """
            cat >/dev/null
            for n in 1 2 3; do
              if grep -q "\\"step$n\\"" "$RUNLEDGER_STEPS_FILE"; then continue; fi
              echo "step$n attempt $RUNLEDGER_ATTEMPT" >> "$EFFECTS"
              echo "{\\"type\\":\\"step.completed\\",\\"data\\":{\\"step\\":\\"step$n\\",\\"output\\":{\\"n\\":$n}}}"
              if [ "$n" = 2 ] && [ "$RUNLEDGER_ATTEMPT" = 1 ]; then echo hanging; exec sleep 60; fi
            done
            echo '{"done": true}'
            """;

    @Override
    protected String serviceSpec() {
        return "{\"maxAttempts\":3,\"leaseTtlSeconds\":2}";
    }

    @Test
    void stepsOneAndTwoRunOnceAndStepThreeOnceAcrossAKill(@TempDir Path dir) throws Exception {
        String key = api.post(P + "/keys", null).json().get("key").asText();
        Path effects = dir.resolve("effects.txt");
        Path script = dir.resolve("steps.sh");
        Files.writeString(script, SCRIPT);
        Map<String, String> env = Map.of("RUNLEDGER_URL", server.server.url(), "RUNLEDGER_KEY", key,
                "EFFECTS", effects.toString());
        String runId = triggerRun();
        ChildJvm doomed = ChildJvm.start(dir, dir.resolve("doomed.log"), env, worker("doomed", script));
        ChildJvm survivor = null;
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .alias("attempt 1 recorded step 2 and hangs").until(() -> {
                        assertThat(doomed.process().isAlive()).as(doomed.output()).isTrue();
                        return TestDatabase.count("select count(*) from run_steps") == 2
                                && TestDatabase.count("select count(*) from run_events where type = 'output.delta'"
                                + " and data->>'text' = E'hanging\\n'") == 1;
                    });
            doomed.kill(); // SIGKILL: no hand-back, the lease has to expire
            assertThat(doomed.process().exitValue()).isEqualTo(137);
            survivor = ChildJvm.start(dir, dir.resolve("survivor.log"), env, worker("survivor", script));
            ChildJvm s = survivor;
            JsonNode settled = Awaitility.await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100))
                    .alias("the run finished by the survivor")
                    .until(() -> run(runId), r -> {
                        assertThat(s.process().isAlive()).as(s.output()).isTrue();
                        return r.get("status").asText().equals("succeeded");
                    });
            assertThat(settled.get("attempt").asInt()).isEqualTo(2);
            assertThat(settled.get("output").get("done").asBoolean()).isTrue();
        } finally {
            doomed.kill();
            if (survivor != null) {
                survivor.close();
            }
        }
        assertThat(Files.readAllLines(effects)).containsExactly("step1 attempt 1", "step2 attempt 1",
                "step3 attempt 2");
        JsonNode steps = api.get(P + "/runs/" + runId + "/steps").json().get("items");
        assertThat(steps.findValuesAsText("step")).containsExactly("step1", "step2", "step3");
        assertThat(steps.findValues("attempt")).extracting(JsonNode::asInt).containsExactly(1, 1, 2);
        List<String> types = api.get(P + "/runs/" + runId + "/events?limit=200").json().findValuesAsText("type");
        assertThat(types).containsExactly("run.accepted", "run.started", "step.completed", "step.completed",
                "output.delta", "run.lease_expired", "run.retrying", "run.resumed", "run.started", "step.completed",
                "output.delta", "run.succeeded"); // the last output.delta: the line that is the output
    }

    private static List<String> worker(String id, Path script) {
        return List.of("worker", "--scope", SCOPE, "--service", SERVICE, "--worker-id", id, "--command",
                "sh " + script);
    }
}

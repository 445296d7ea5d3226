package io.runledger.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.api.Run;
import io.runledger.api.RunEvent;
import io.runledger.api.RunStatus;
import io.runledger.api.ServiceSpec;
import io.runledger.api.TriggerRequest;
import io.runledger.client.internal.Wire;
import io.runledger.core.RunLedger;
import io.runledger.core.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Durable execution for a worker in any language: a shell script records a step, suspends and resumes. */
class CommandDurableTest {
    private static final String SCOPE = "acme";
    private RunLedger ledger;
    @TempDir
    Path dir;

    @BeforeEach
    void open() {
        TestDatabase.truncate();
        ledger = TestDatabase.ledgerBuilder().backgroundLoops(true).sweepInterval(Duration.ofMillis(200))
                .queueInterval(Duration.ofMillis(100)).build();
        ledger.admin().scopePut(SCOPE);
        ledger.admin().servicePut(SCOPE, "sh", new ServiceSpec(1, 2, null, null, null));
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    @Test
    void aScriptRecordsAStepSuspendsAndRunsAgainOnResume() throws Exception {
        // After its suspend line the script lingers instead of exiting: it is killed after
        // the stop grace (1 s here), well before its sleep would end.
        Path script = dir.resolve("durable.sh");
        Files.writeString(script, """
                #!/bin/sh
                echo "$RUNLEDGER_STEPS_FILE" >> %1$s/files
                echo "$RUNLEDGER_RESUMED_FILE" >> %1$s/files
                if grep -q '"nap"' "$RUNLEDGER_RESUMED_FILE"; then
                  echo '{"type":"log","data":{"message":"woke up"}}'
                  echo "{\\"recorded\\": $(cat "$RUNLEDGER_STEPS_FILE")}"
                  exit 0
                fi
                if ! grep -q '"prepare"' "$RUNLEDGER_STEPS_FILE"; then
                  echo x >> %1$s/prepared
                  echo '{"type":"step.completed","data":{"step":"prepare","output":{"n":7}}}'
                fi
                echo '{"type":"suspend","data":{"step":"nap","waitpoints":[{"kind":"duration","seconds":0.5}]}}'
                sleep 30
                """.formatted(dir));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        String runId = ledger.runs().trigger(SCOPE, "sh", TriggerRequest.of(Wire.MAPPER.createObjectNode())).runId();
        long started = System.nanoTime();
        try (Worker w = Worker.builder(ledger).scope(SCOPE).pollWait(Duration.ofSeconds(1))
                .handle("sh", new CommandHandler(script.toString(), dir, Duration.ofSeconds(1))).build().start()) {
            Run run = ledger.runs().await(SCOPE, runId, Duration.ofSeconds(25));
            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.attempt()).isEqualTo(1);
            assertThat(run.output().get("recorded").get("prepare").get("n").asInt()).isEqualTo(7);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        assertThat(Files.readAllLines(dir.resolve("prepared"))).hasSize(1);
        List<String> files = Files.readAllLines(dir.resolve("files"));
        assertThat(files).hasSize(4).allMatch(f -> !f.isBlank() && !Files.exists(Path.of(f)));
        List<String> types = ledger.runs().events(SCOPE, runId, 0, 100).items().stream().map(RunEvent::type)
                .toList();
        assertThat(types).contains("step.completed", "run.waiting", "run.resumed", "log", "run.succeeded")
                .doesNotContain("run.failed", "run.retrying");
    }

    @Test
    void aSuspendOnWaitpointsCompleteAlreadyRunsTheScriptAgainUnderTheSameLease() throws Exception {
        Path script = dir.resolve("past.sh");
        Files.writeString(script, """
                #!/bin/sh
                echo run >> %1$s/executions
                if grep -q '"past"' "$RUNLEDGER_RESUMED_FILE"; then
                  echo '{"again": true}'
                  exit 0
                fi
                echo '{"type":"suspend","data":{"step":"past","waitpoints":[{"kind":"duration","until":"2001-01-01T00:00:00Z"}]}}'
                """.formatted(dir));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        String runId = ledger.runs().trigger(SCOPE, "sh", TriggerRequest.of(Wire.MAPPER.createObjectNode())).runId();
        try (Worker w = Worker.builder(ledger).scope(SCOPE).pollWait(Duration.ofSeconds(1))
                .handle("sh", new CommandHandler(script.toString(), dir, Duration.ofSeconds(1))).build().start()) {
            Run run = ledger.runs().await(SCOPE, runId, Duration.ofSeconds(20));
            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.output().get("again").asBoolean()).isTrue();
        }
        assertThat(Files.readAllLines(dir.resolve("executions"))).hasSize(2);
        assertThat(ledger.runs().events(SCOPE, runId, 0, 100).items()).extracting(RunEvent::type)
                .doesNotContain("run.waiting");
    }
}

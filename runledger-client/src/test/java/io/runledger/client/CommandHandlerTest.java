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
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker in any language: real shell scripts run per leased run. */
class CommandHandlerTest {
    private static final String SCOPE = "acme";
    private RunLedger ledger;
    @TempDir
    Path dir;

    @BeforeEach
    void open() {
        TestDatabase.truncate();
        ledger = TestDatabase.ledgerBuilder().build();
        ledger.admin().scopePut(SCOPE);
        ledger.admin().servicePut(SCOPE, "sh", new ServiceSpec(1, 2, null, null, null));
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    private Path script(String name, String body) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private Worker worker(Path script) {
        return Worker.builder(ledger).scope(SCOPE).pollWait(Duration.ofSeconds(1))
                .handle("sh", new CommandHandler(script.toString(), dir, Duration.ofSeconds(2))).build().start();
    }

    private String trigger(String inputJson) throws Exception {
        return ledger.runs().trigger(SCOPE, "sh", TriggerRequest.of(Wire.MAPPER.readTree(inputJson))).runId();
    }

    @Test
    void aSucceedingScriptStreamsItsLinesAndReturnsItsLastJsonLine() throws Exception {
        Path agent = script("agent.sh", """
                read input
                echo "thinking about $input"
                echo '{"type": "progress", "data": {"pct": 50}}'
                echo "run $RUNLEDGER_RUN_ID attempt $RUNLEDGER_ATTEMPT"
                echo '{"answer": 42}'
                """);
        String runId = trigger("{\"question\": \"life\"}");
        try (Worker w = worker(agent)) {
            Run run = ledger.runs().await(SCOPE, runId, Duration.ofSeconds(20));
            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.output().get("answer").asInt()).isEqualTo(42);
        }
        List<RunEvent> events = ledger.runs().events(SCOPE, runId, 0, 100).items();
        assertThat(events).extracting(RunEvent::type).containsExactly("run.accepted", "run.started",
                "output.delta", "progress", "output.delta", "output.delta", "run.succeeded");
        assertThat(events.get(2).data().get("text").asText()).isEqualTo("thinking about {\"question\":\"life\"}\n");
        assertThat(events.get(3).data().get("pct").asInt()).isEqualTo(50);
        assertThat(events.get(4).data().get("text").asText()).isEqualTo("run " + runId + " attempt 1\n");
    }

    @Test
    void aFailingScriptFailsWithTheTailOfItsStderr() throws Exception {
        Path agent = script("fail.sh", """
                echo "working"
                echo "could not reach the model" >&2
                exit 3
                """);
        String runId = trigger("{}");
        try (Worker w = worker(agent)) {
            Run run = ledger.runs().await(SCOPE, runId, Duration.ofSeconds(20));
            assertThat(run.status()).isEqualTo(RunStatus.FAILED);
            assertThat(run.error().code()).isEqualTo("command_failed");
            assertThat(run.error().message()).isEqualTo("could not reach the model");
            assertThat(run.error().detail().get("exitStatus").asInt()).isEqualTo(3);
        }
    }

    @Test
    void aStoppedScriptIsTerminatedAndTheRunSettlesCancelled() throws Exception {
        Path marker = dir.resolve("got-term");
        Path agent = script("slow.sh", """
                trap 'echo term > %s; exit 143' TERM
                echo "started"
                while true; do sleep 0.1; done
                """.formatted(marker));
        String runId = trigger("{}");
        try (Worker w = worker(agent)) {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                    ledger.runs().events(SCOPE, runId, 0, 100).items().stream()
                            .anyMatch(e -> e.type().equals("output.delta")));
            ledger.runs().cancel(SCOPE, runId, "user stop");
            Run run = ledger.runs().await(SCOPE, runId, Duration.ofSeconds(20));
            assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
            assertThat(Files.exists(marker)).as("the script received SIGTERM").isTrue();
        }
    }
}

package io.runledger.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.api.Run;
import io.runledger.api.RunEvent;
import io.runledger.client.CommandHandler;
import io.runledger.client.RunHandler;
import io.runledger.client.RunLedgerClient;
import io.runledger.client.Worker;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Worker SDK edge cases over HTTP: what the server refuses must settle the run, never strand it. */
class CommandWorkerEdgeTest extends ServerTestBase {
    private RunLedgerClient client;

    @Override
    protected String serviceSpec() {
        return "{\"maxAttempts\":2,\"leaseTtlSeconds\":3}";
    }

    @BeforeEach
    void client() {
        client = RunLedgerClient.builder().url(server.server.url())
                .key(api.post(P + "/keys", null).json().get("key").asText()).build();
    }

    @Test
    void aCommandPrintingAnEventTheServerRefusesFailsAtOnceInsteadOfHanging() throws Exception {
        // The command goes on after the refused event: it is stopped, not waited for.
        Run run = runWith(command("echo '{\"type\":\"bogus\",\"data\":{}}'; sleep 30; echo done"));
        assertThat(run.status().wireName()).isEqualTo("failed");
        assertThat(run.attempt()).as("the command's own fault is not retried").isEqualTo(1);
        assertThat(run.error().code()).isEqualTo("invalid_event");
        assertThat(run.error().message()).contains("bogus");
    }

    @Test
    void aLineLongerThanAnEventIsStreamedInPieces() throws Exception {
        Run run = runWith(command("head -c 100000 /dev/zero | tr '\\0' 'y'; echo; echo '{\"ok\":true}'"));
        assertThat(run.status().wireName()).as(String.valueOf(run.error())).isEqualTo("succeeded");
        assertThat(run.output().get("ok").asBoolean()).isTrue();
        String streamed = client.runs().events(SCOPE, run.runId(), 0, 200).items().stream()
                .filter(e -> e.type().equals("output.delta")).map(e -> e.data().get("text").asText())
                .collect(Collectors.joining());
        assertThat(streamed).isEqualTo("y".repeat(100_000) + "\n{\"ok\":true}\n");
    }

    @Test
    void anOutputTheServerRefusesFailsTheRunInsteadOfLettingTheLeaseExpire() throws Exception {
        Run run = runWith((ctx, input) -> com.fasterxml.jackson.databind.node.TextNode.valueOf("z".repeat(2_000_000)));
        assertThat(run.status().wireName()).isEqualTo("failed");
        assertThat(run.attempt()).isEqualTo(1);
        assertThat(run.error().code()).isEqualTo("output_refused");
        List<String> types = client.runs().events(SCOPE, run.runId(), 0, 200).items().stream().map(RunEvent::type).toList();
        assertThat(types).doesNotContain("run.lease_expired");
    }

    @Test
    void aCommandThatDoesNotReadALargeInputCanStillBeStopped() throws Exception {
        try (Worker worker = Worker.builder(client).scope(SCOPE).pollWait(Duration.ofSeconds(1))
                .handle(SERVICE, command("echo started; sleep 60")).build().start()) {
            // 200 KB of input: more than a pipe holds, and the command never reads it.
            Http.Reply r = trigger("{\"input\":{\"text\":\"" + "a".repeat(200_000) + "\"}}");
            assertThat(r.status()).as(r.toString()).isEqualTo(202);
            String runId = r.json().get("runId").asText();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> client.runs().get(SCOPE, runId).lastSeq() >= 3);
            client.runs().cancel(SCOPE, runId, null);
            String status = Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> client.runs().get(SCOPE, runId).status(), x -> x.isTerminal()).wireName();
            assertThat(status).isEqualTo("cancelled");
        }
    }

    private static RunHandler command(String script) {
        return new CommandHandler(script, null, Duration.ofSeconds(2));
    }

    private Run runWith(RunHandler handler) {
        try (Worker worker = Worker.builder(client).scope(SCOPE).pollWait(Duration.ofSeconds(1))
                .handle(SERVICE, handler).build().start()) {
            String runId = triggerRun();
            return Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> client.runs().get(SCOPE, runId), r -> r.status().isTerminal());
        }
    }
}

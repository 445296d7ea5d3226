package io.runledger.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.runledger.api.Receipt;
import io.runledger.api.Run;
import io.runledger.api.RunEvent;
import io.runledger.api.RunStatus;
import io.runledger.api.TriggerRequest;
import io.runledger.client.EventStream;
import io.runledger.client.RunLedgerClient;
import io.runledger.client.Worker;
import io.runledger.server.testing.ServerTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Java worker of README.md compiles and runs against the real server, and stays identical to the doc. */
class JavaWorkerReadmeTest extends ServerTestBase {

    @Test
    void theDocumentedJavaWorkerRuns() throws Exception {
        // The quickstart's scope and service, as the README's examples assume.
        assertThat(api.put("/v1/scopes/demo", null).status()).isEqualTo(201);
        assertThat(api.put("/v1/scopes/demo/services/summarize", "{\"maxAttempts\":3,\"leaseTtlSeconds\":30}")
                .status()).isEqualTo(200);
        String url = server.server.url();
        String key = api.post("/v1/scopes/demo/keys", null).json().get("key").asText();

        // README-JAVA-WORKER-START
        RunLedgerClient client = RunLedgerClient.builder().url(url).key(key).build();
        Worker worker = Worker.builder(client)
                .scope("demo")
                .concurrency(4)
                .handle("summarize", (ctx, input) -> {
                    String text = input.path("text").asText();
                    ctx.outputDelta("summarizing " + text.length() + " characters");
                    ctx.emit("progress", JsonNodeFactory.instance.objectNode().put("pct", 50));
                    int words = text.isBlank() ? 0 : text.strip().split("\\s+").length;
                    return JsonNodeFactory.instance.objectNode().put("words", words);
                })
                .build()
                .start();
        // README-JAVA-WORKER-END

        try {
            Receipt receipt = client.runs().trigger("demo", "summarize", TriggerRequest.of(
                    JsonNodeFactory.instance.objectNode().put("text", "RunLedger keeps every run")));
            List<RunEvent> events = new ArrayList<>();
            try (var stream = (EventStream) client.runs().follow("demo", receipt.runId(), 0)) {
                stream.forEach(events::add);
            }
            assertThat(events).extracting(RunEvent::type).containsExactly("run.accepted", "run.started",
                    "output.delta", "progress", "run.succeeded");
            assertThat(events.get(2).data().get("text").asText()).isEqualTo("summarizing 25 characters");
            Run run = client.runs().await("demo", receipt.runId(), Duration.ofSeconds(10));
            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.output().get("words").asInt()).isEqualTo(4);
            assertThat(run.workerId()).isEqualTo(worker.workerId());
        } finally {
            worker.close();
        }
    }

    @Test
    void theDocShowsExactlyThisWorker() throws Exception {
        String doc = ShellWorkerReadmeTest.block("java-worker", "java");
        String source = Files.readString(Path.of("src/test/java/io/runledger/server/sdk/JavaWorkerReadmeTest.java"));
        String start = "// README-JAVA-WORKER-START";
        String region = source.substring(source.indexOf(start) + start.length(),
                source.indexOf("        // README-JAVA-WORKER-END"));
        assertThat(normalize(doc)).isEqualTo(normalize(region));
    }

    private static String normalize(String code) {
        return code.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce("", (a, b) -> a + b + "\n");
    }
}

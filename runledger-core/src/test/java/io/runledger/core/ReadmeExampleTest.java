package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.runledger.api.EventDraft;
import io.runledger.api.Lease;
import io.runledger.api.LeaseRequest;
import io.runledger.api.Receipt;
import io.runledger.api.Run;
import io.runledger.api.RunFilter;
import io.runledger.api.RunStatus;
import io.runledger.api.ServiceSpec;
import io.runledger.api.TriggerRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded-API example of README.md compiles and runs, and stays identical to the README. */
class ReadmeExampleTest {

    @Test
    void theReadmeExampleRuns(@TempDir Path dataDir) throws Exception {
        // README-EXAMPLE-START
        ObjectMapper json = new ObjectMapper();
        try (RunLedger ledger = RunLedger.builder().dataDirectory(dataDir).build()) {
            ledger.admin().scopePut("demo");
            ledger.admin().servicePut("demo", "summarize", ServiceSpec.defaults());

            // The receipt comes back only after the run and its run.accepted event are committed.
            Receipt receipt = ledger.runs().trigger("demo", "summarize", TriggerRequest.builder()
                    .input(json.readTree("{\"url\": \"https://example.com\"}"))
                    .idempotencyKey("summarize-example-com")
                    .build());

            // A worker leases the run, streams output and completes it under its lease token.
            Lease lease = ledger.workers().lease("demo",
                    LeaseRequest.of("worker-1", List.of("summarize"), 1, Duration.ofSeconds(5))).get(0);
            ledger.workers().append("demo", lease.runId(), lease.leaseToken(),
                    List.of(new EventDraft("output.delta", json.readTree("{\"text\": \"Example Domain\"}"))));
            ledger.workers().complete("demo", lease.runId(), lease.leaseToken(),
                    json.readTree("{\"summary\": \"A domain for examples.\"}"));

            Run run = ledger.runs().await("demo", receipt.runId(), Duration.ofSeconds(5));
            System.out.println(run.status() + " " + run.output()); // SUCCEEDED {"summary":"A domain for examples."}
        }
        // README-EXAMPLE-END

        // The data outlives the engine: a new one on the same directory sees the settled run.
        try (RunLedger reopened = RunLedger.builder().dataDirectory(dataDir).backgroundLoops(false).build()) {
            List<Run> runs = reopened.runs().list("demo", RunFilter.all()).items();
            assertThat(runs).hasSize(1);
            assertThat(runs.get(0).status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(runs.get(0).output().get("summary").asText()).isEqualTo("A domain for examples.");
        }
    }

    @Test
    void theReadmeShowsExactlyThisExample() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        String readme = Files.readString(root.resolve("README.md"));
        Matcher block = Pattern.compile("<!-- embedded-example -->\\s*```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(block.find()).as("README.md has the embedded example block").isTrue();
        String source = Files.readString(root.resolve(
                "runledger-core/src/test/java/io/runledger/core/ReadmeExampleTest.java"));
        String region = source.substring(source.indexOf("// README-EXAMPLE-START") + "// README-EXAMPLE-START".length(),
                source.indexOf("        // README-EXAMPLE-END"));
        assertThat(normalize(block.group(1))).isEqualTo(normalize(region));
    }

    private static String normalize(String code) {
        return code.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce("", (a, b) -> a + b + "\n");
    }
}

package io.runledger.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The approval flow of README.md, end to end: its {@code approve.sh} and its commands read
 * from the markdown, the real CLI worker in a child process, the callback URL the script
 * prints posted with the documented {@code curl} (no key), and the script run again to finish
 * with the approval in its output.
 */
class ApprovalReadmeTest extends ServerTestBase {

    @Test
    void theDocumentedApprovalFlowWaitsForTheCallbackAndFinishesWithIt(@TempDir Path dir) throws Exception {
        Map<String, String> env = ShellWorkerReadmeTest.demoScope(server.server.url(), "approvals");
        Path script = Files.writeString(dir.resolve("approve.sh"), ShellWorkerReadmeTest.block("approve.sh", "sh"));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> commands = ShellWorkerReadmeTest.block("approve-commands", "sh").lines().toList();
        assertThat(commands).hasSize(4);
        assertThat(commands.get(0)).isEqualTo("chmod +x approve.sh");
        List<String> worker = ShellWorkerReadmeTest.runledger(commands.get(1));
        assertThat(worker.getLast()).isEqualTo("&");
        ChildJvm process = ChildJvm.start(dir, dir.resolve("worker.log"), env, worker.subList(0, worker.size() - 1));
        try {
            String receipt = ChildJvm.run(dir, env, ShellWorkerReadmeTest.runledger(commands.get(2)));
            String runId = Http.JSON.readTree(receipt.substring(receipt.indexOf('{'))).get("runId").asText();

            String line = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .alias("the script printed how to approve and suspended the run")
                    .until(() -> approveLine(runId), l -> {
                        assertThat(process.process().isAlive()).as(process.output()).isTrue();
                        return l != null && demoRun(runId).get("status").asText().equals("waiting");
                    });
            assertThat(demoRun(runId).get("leaseExpiresAt").isNull()).isTrue();
            String curl = line.substring("to approve: ".length()).strip();
            assertThat(curl).startsWith("curl -X POST " + server.server.url() + "/v1/callbacks/wpc_")
                    .endsWith(" -d '{\"approved\":true}'");
            Process posted = new ProcessBuilder("/bin/sh", "-c", curl + " -s -o /dev/null -w '%{http_code}'")
                    .directory(dir.toFile()).start();
            assertThat(new String(posted.getInputStream().readAllBytes())).isEqualTo("200");

            JsonNode done = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> demoRun(runId), r -> r.get("status").asText().equals("succeeded"));
            JsonNode approval = done.get("output").get("decision").get("approval").get(0);
            assertThat(approval.get("kind").asText()).isEqualTo("token");
            assertThat(approval.get("status").asText()).isEqualTo("completed");
            assertThat(approval.get("data")).isEqualTo(Http.JSON.readTree("{\"approved\":true}"));
            assertThat(done.get("attempt").asInt()).isEqualTo(1);
            List<String> types = api.get(ShellWorkerReadmeTest.DEMO + "/runs/" + runId + "/events?limit=200").json()
                    .findValuesAsText("type");
            assertThat(types).containsSubsequence("run.started", "run.waiting", "run.resumed", "run.started",
                    "run.succeeded");

            String url = curl.substring("curl -X POST ".length(), curl.indexOf(" -d "));
            Process other = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
                    url, "-d", "{\"approved\":false}").start();
            assertThat(new String(other.getInputStream().readAllBytes())).isEqualTo("409");
        } finally {
            process.kill();
        }
    }

    private static JsonNode demoRun(String runId) {
        Http.Reply r = api.get(ShellWorkerReadmeTest.DEMO + "/runs/" + runId);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    /** The "to approve: curl ..." line the script printed, if it has yet. */
    private static String approveLine(String runId) {
        JsonNode events = api.get(ShellWorkerReadmeTest.DEMO + "/runs/" + runId + "/events?limit=200").json();
        for (JsonNode e : events.get("items")) {
            String text = e.path("data").path("text").asText("");
            if (e.get("type").asText().equals("output.delta") && text.startsWith("to approve: ")) {
                return text;
            }
        }
        return null;
    }
}

package io.runledger.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import io.runledger.server.testing.Sse;
import io.runledger.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README quickstart (curl): its shell block run as written by bash, with curl and jq,
 * against a real server; and its steps request for request as curl sends them.
 */
class QuickstartTest extends ServerTestBase {

    @Test
    void theReadmeQuickstartRunsAsWritten(@TempDir Path dir) throws Exception {
        Matcher m = Pattern.compile("<!-- quickstart -->\\s*```bash\\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(Path.of("..", "README.md")));
        assertThat(m.find()).as("README.md has the quickstart block").isTrue();
        String block = m.group(1);
        // The one change: this server's URL. The admin key is where the first start keeps it.
        String first = "URL=http://127.0.0.1:7070\n";
        assertThat(block).startsWith(first);
        Files.createDirectories(dir.resolve(".runledger"));
        Files.writeString(dir.resolve(".runledger/admin.key"), TestServer.ADMIN_KEY);
        // As the browser tests do without Chromium: skipped where the tools are missing
        // (.ci/run installs them, so CI runs it).
        for (String tool : List.of("curl", "jq")) {
            assumeTrue(new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0,
                    tool + " is not installed (apt-get install -y " + tool + "): the README quickstart is not run");
        }

        // -e and pipefail: a step that fails (jq finding no key, say) fails the test.
        Process bash = new ProcessBuilder("bash", "-c", "set -euo pipefail\nURL=" + server.server.url() + "\n"
                + block.substring(first.length())).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(bash.getInputStream().readAllBytes());
        assertThat(bash.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(bash.exitValue()).as(output).isZero();

        // The stream printed the whole ledger, then the last curl printed the settled run.
        assertThat(output).contains("event: run.accepted", "event: progress", "event: run.succeeded");
        JsonNode run = Http.JSON.readTree(output.substring(output.lastIndexOf("\n{") + 1));
        assertThat(run.get("status").asText()).isEqualTo("succeeded");
        assertThat(run.get("output").get("summary").asText()).isEqualTo("A short summary.");
        assertThat(run.get("scope").asText()).isEqualTo("demo");
        assertThat(run.get("input").get("url").asText()).isEqualTo("https://example.com/doc/42");
    }

    @Test
    void quickstart() {
        // curl -X PUT -H "Authorization: Bearer $ADMIN" $URL/v1/scopes/demo
        assertThat(api.put("/v1/scopes/demo", null).status()).isEqualTo(201);
        // curl -X POST -H "Authorization: Bearer $ADMIN" $URL/v1/scopes/demo/keys
        String key = api.post("/v1/scopes/demo/keys", null).json().get("key").asText();
        Http demo = api.withKey(key);
        // curl -X PUT ... $URL/v1/scopes/demo/services/summarize -d '{"maxAttempts":3,"leaseTtlSeconds":30}'
        Http.Reply service = demo.put("/v1/scopes/demo/services/summarize", "{\"maxAttempts\":3,\"leaseTtlSeconds\":30}");
        assertThat(service.status()).isEqualTo(200);
        // curl -i -X POST ... $URL/v1/scopes/demo/services/summarize/runs -H 'Idempotency-Key: doc-42' -d '{"input":...}'
        Http.Reply receipt = demo.send("POST", "/v1/scopes/demo/services/summarize/runs",
                "{\"input\":{\"url\":\"https://example.com/doc/42\"}}", java.util.Map.of("Idempotency-Key", "doc-42"));
        assertThat(receipt.status()).isEqualTo(202);
        String runId = receipt.json().get("runId").asText();
        // curl -X POST ... $URL/v1/scopes/demo/workers/lease -d '{"workerId":"w1","services":["summarize"],...}'
        Http.Reply leased = demo.post("/v1/scopes/demo/workers/lease",
                "{\"workerId\":\"w1\",\"services\":[\"summarize\"],\"max\":1,\"waitSeconds\":30}");
        JsonNode lease = leased.json().get("leases").get(0);
        assertThat(lease.get("runId").asText()).isEqualTo(runId);
        String token = lease.get("leaseToken").asText();
        // curl -X POST ... $URL/v1/scopes/demo/runs/$RUN/events -d '{"leaseToken":"...","events":[...]}'
        assertThat(demo.post("/v1/scopes/demo/runs/" + runId + "/events", "{\"leaseToken\":\"" + token
                + "\",\"events\":[{\"type\":\"progress\",\"data\":{\"pct\":50}}]}").status()).isEqualTo(200);
        // curl -X POST ... $URL/v1/scopes/demo/runs/$RUN/complete -d '{"leaseToken":"...","output":{...}}'
        Http.Reply done = demo.post("/v1/scopes/demo/runs/" + runId + "/complete",
                "{\"leaseToken\":\"" + token + "\",\"output\":{\"summary\":\"A short summary.\"}}");
        assertThat(done.json().get("status").asText()).isEqualTo("succeeded");
        // curl -N -H "Authorization: Bearer $KEY" $URL/v1/scopes/demo/runs/$RUN/stream
        List<Sse.Message> events = Sse.readAll(demo.request("/v1/scopes/demo/runs/" + runId + "/stream").GET().build());
        assertThat(events).extracting(Sse.Message::event)
                .containsExactly("run.accepted", "run.started", "progress", "run.succeeded");
        // curl -s -X POST ... $URL/v1/scopes/demo/runs/$RUN/access-tokens -d '{"ttlSeconds":600}'
        Http.Reply issued = demo.post("/v1/scopes/demo/runs/" + runId + "/access-tokens", "{\"ttlSeconds\":600}");
        assertThat(issued.status()).isEqualTo(201);
        String access = issued.json().get("token").asText();
        // .../stream?access_token=<token>&eventNames=false, as a browser's EventSource reads it
        List<Sse.Message> unnamed = Sse.readAll(new Http(demo.baseUrl(), null).request("/v1/scopes/demo/runs/"
                + runId + "/stream?access_token=" + access + "&eventNames=false").GET().build());
        assertThat(unnamed).extracting(m -> m.data().get("type").asText())
                .containsExactly("run.accepted", "run.started", "progress", "run.succeeded");
        assertThat(unnamed).extracting(Sse.Message::event).containsOnlyNulls();
        // curl -H "Authorization: Bearer $KEY" $URL/v1/scopes/demo/runs/$RUN
        assertThat(demo.get("/v1/scopes/demo/runs/" + runId).json().get("output").get("summary").asText())
                .isEqualTo("A short summary.");
    }
}

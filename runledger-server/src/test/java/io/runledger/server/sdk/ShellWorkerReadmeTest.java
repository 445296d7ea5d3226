package io.runledger.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell worker of README.md, end to end: its {@code agent.sh} and its commands,
 * read from the markdown (so the doc cannot drift), run through the real {@code runledger}
 * CLI in child processes against the real server. Also: a failing command settles
 * {@code failed} with its stderr, and a cancelled command is terminated and settles
 * {@code cancelled}.
 */
class ShellWorkerReadmeTest extends ServerTestBase {
    private static final Path DOC = Path.of("..", "README.md");
    static final String DEMO = "/v1/scopes/demo";

    @TempDir
    Path dir;
    private Map<String, String> env;

    @BeforeEach
    void scopeKey() {
        env = Map.of("RUNLEDGER_URL", server.server.url(),
                "RUNLEDGER_KEY", api.post(P + "/keys", null).json().get("key").asText());
    }

    @Test
    void theDocumentedShellWorkerRunsEndToEnd() throws Exception {
        Map<String, String> env = demoScope(server.server.url(), "summarize");
        Files.writeString(dir.resolve("agent.sh"), block("agent.sh", "sh"));
        List<String> commands = block("worker-commands", "sh").lines().toList();
        assertThat(commands).hasSize(5);

        // chmod +x agent.sh
        assertThat(commands.get(0)).isEqualTo("chmod +x agent.sh");
        assertThat(new ProcessBuilder("/bin/sh", "-c", commands.get(0)).directory(dir.toFile()).start().waitFor())
                .isZero();
        // export RUNLEDGER_URL=... RUNLEDGER_KEY=$KEY: the values of this server instead
        assertThat(commands.get(1)).startsWith("export RUNLEDGER_URL=").contains(" RUNLEDGER_KEY=$KEY");
        // ./runledger worker ... &
        List<String> worker = runledger(commands.get(2));
        assertThat(worker.getLast()).isEqualTo("&");
        ChildJvm process = ChildJvm.start(dir, dir.resolve("worker.log"), env, worker.subList(0, worker.size() - 1));
        try {
            // ./runledger trigger ...: prints the receipt
            String receipt = ChildJvm.run(dir, env, runledger(commands.get(3)));
            String runId = Http.JSON.readTree(receipt.substring(receipt.indexOf('{'))).get("runId").asText();
            // ./runledger tail ... <runId>: follows the run until it settles (exit 0 = succeeded)
            List<String> tail = new ArrayList<>(runledger(commands.get(4)));
            assertThat(tail.getLast()).startsWith("<runId");
            tail.set(tail.size() - 1, runId);
            String streamed = ChildJvm.run(dir, env, tail);

            List<String> lines = streamed.lines().toList();
            assertThat(lines).as(streamed + "\nworker:\n" + process.output()).containsSubsequence(
                    "run " + runId + ", attempt 1, input: {\"text\":\"RunLedger keeps every run\"}",
                    "counted 4 words",
                    "{\"words\": 4}");
            assertThat(lines).anyMatch(l -> l.matches(".* #4 progress \\{\"pct\": ?50}"));
            assertThat(lines.getLast()).contains("#7 run.succeeded");

            JsonNode run = api.get(DEMO + "/runs/" + runId).json();
            assertThat(run.get("status").asText()).isEqualTo("succeeded");
            assertThat(run.get("output")).isEqualTo(Http.JSON.readTree("{\"words\":4}"));
            assertThat(types(DEMO, runId)).containsExactly("run.accepted", "run.started", "output.delta", "progress",
                    "output.delta", "output.delta", "run.succeeded");
        } finally {
            process.kill(); // nothing in flight: no need to wait out its poll
        }
    }

    @Test
    void aFailingCommandSettlesFailedWithTheTailOfItsStderr() throws Exception {
        service("flaky", "{\"maxAttempts\":1,\"leaseTtlSeconds\":30}");
        script("#!/bin/sh\necho 'fetching the page'\necho 'warming up' >&2\necho 'error: no API key for the model' >&2\n"
                + "exit 3\n");
        ChildJvm worker = ChildJvm.start(dir, dir.resolve("worker.log"), env, List.of("worker", "--scope", SCOPE,
                "--service", "flaky", "--command", "./agent.sh"));
        try {
            String runId = triggerOf("flaky");
            JsonNode run = settled(runId, worker);
            assertThat(run.get("status").asText()).isEqualTo("failed");
            assertThat(run.get("error").get("code").asText()).isEqualTo("command_failed");
            assertThat(run.get("error").get("message").asText())
                    .isEqualTo("warming up\nerror: no API key for the model");
            assertThat(run.get("error").get("detail").get("exitStatus").asInt()).isEqualTo(3);
            assertThat(types(runId)).containsExactly("run.accepted", "run.started", "output.delta", "run.failed");
        } finally {
            worker.kill(); // nothing in flight: no need to wait out its poll
        }
    }

    @Test
    void aCancelledCommandIsTerminatedAndSettlesCancelled() throws Exception {
        service("stoppable", "{\"maxAttempts\":3,\"leaseTtlSeconds\":3}");
        script("#!/bin/sh\ncat >/dev/null\necho started\nsleep 60\necho 'never printed'\n");
        ChildJvm worker = ChildJvm.start(dir, dir.resolve("worker.log"), env, List.of("worker", "--scope", SCOPE,
                "--service", "stoppable", "--command", "./agent.sh", "--stop-grace-seconds", "5"));
        try {
            String runId = triggerOf("stoppable");
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .alias("the command started").until(() -> types(runId).contains("output.delta"));
            assertThat(worker.process().descendants().count()).isPositive();

            String answer = ChildJvm.run(dir, env, List.of("cancel", "--scope", SCOPE, runId));
            assertThat(answer).contains("stop requested");
            JsonNode run = settled(runId, worker);
            assertThat(run.get("status").asText()).isEqualTo("cancelled");
            assertThat(run.get("attempt").asInt()).isEqualTo(1);
            assertThat(types(runId)).containsExactly("run.accepted", "run.started", "output.delta",
                    "run.stop_requested", "run.cancelled");
            // SIGTERM reached the whole tree: the script and its sleep are gone, the worker is not.
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> worker.process().descendants().findAny().isEmpty());
            assertThat(worker.process().isAlive()).isTrue();
        } finally {
            worker.kill(); // nothing in flight: no need to wait out its poll
        }
    }

    private void service(String name, String spec) {
        Http.Reply r = api.put(P + "/services/" + name, spec);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    private void script(String text) throws Exception {
        Path script = Files.writeString(dir.resolve("agent.sh"), text);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static String triggerOf(String service) {
        Http.Reply r = api.post(P + "/services/" + service + "/runs", "{\"input\":{\"text\":\"x\"}}");
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r.json().get("runId").asText();
    }

    private static JsonNode settled(String runId, ChildJvm worker) {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> run(runId), r -> {
                    assertThat(worker.process().isAlive()).as(worker.output()).isTrue();
                    return r.get("finishedAt") != null && !r.get("finishedAt").isNull();
                });
    }

    private static List<String> types(String runId) {
        return types(P, runId);
    }

    private static List<String> types(String scopePath, String runId) {
        return api.get(scopePath + "/runs/" + runId + "/events?limit=200").json().get("items").findValuesAsText("type");
    }

    /**
     * The quickstart's scope {@code demo} with {@code service} in it, as the README's examples
     * assume; the environment of its worker commands (this server, a new key of the scope).
     */
    static Map<String, String> demoScope(String url, String service) {
        assertThat(api.put(DEMO, null).status()).isEqualTo(201);
        Http.Reply r = api.put(DEMO + "/services/" + service, "{\"maxAttempts\":3,\"leaseTtlSeconds\":30}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return Map.of("RUNLEDGER_URL", url, "RUNLEDGER_KEY", api.post(DEMO + "/keys", null).json().get("key").asText());
    }

    /** The fenced block of README.md that follows {@code <!-- name -->}. */
    static String block(String name, String language) throws Exception {
        Matcher m = Pattern.compile("<!-- " + Pattern.quote(name) + " -->\\s*```" + language + "\\n(.*?)```",
                Pattern.DOTALL).matcher(Files.readString(DOC));
        assertThat(m.find()).as(DOC + " has the " + name + " block").isTrue();
        return m.group(1);
    }

    /** A documented {@code ./runledger ...} line as arguments, with single quotes as the shell reads them. */
    static List<String> runledger(String line) {
        assertThat(line).startsWith("./runledger ");
        List<String> args = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean inWord = false;
        for (char c : line.substring("./runledger ".length()).toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
                inWord = true;
            } else if (c == ' ' && !quoted) {
                if (inWord) {
                    args.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            args.add(word.toString());
        }
        // "<runId from the receipt>" is one placeholder, not three words
        int placeholder = args.indexOf(args.stream().filter(a -> a.startsWith("<")).findFirst().orElse(""));
        if (placeholder >= 0) {
            String joined = String.join(" ", args.subList(placeholder, args.size()));
            args = new ArrayList<>(args.subList(0, placeholder));
            args.add(joined);
        }
        return args;
    }
}

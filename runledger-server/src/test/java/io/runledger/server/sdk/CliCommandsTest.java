package io.runledger.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.runledger.api.Run;
import io.runledger.api.RunStatus;
import io.runledger.client.RunLedgerClient;
import io.runledger.client.Worker;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.CliTestBase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client commands ({@code trigger, runs, get, cancel, tail}) against the real server, in process. */
class CliCommandsTest extends CliTestBase {
    @Override
    protected Result cli(String... args) {
        return cliWithOptionsAt(1, args); // the connection options right after the command name
    }

    @Test
    void triggerRunsGetCancelTail() throws Exception {
        Result first = cli("trigger", SERVICE, "--input", "{\"n\": 7}", "--idempotency-key", "k1", "--tag", "blue");
        assertThat(first.exit()).as(first.err()).isZero();
        String runId = first.json().get("runId").asText();
        assertThat(first.json().get("replayed").asBoolean()).isFalse();
        Result again = cli("trigger", SERVICE, "--input", "{\"n\": 7}", "--idempotency-key", "k1", "--tag", "blue");
        assertThat(again.json().get("runId").asText()).isEqualTo(runId);
        assertThat(again.json().get("replayed").asBoolean()).isTrue();

        Result runs = cli("runs", "--status", "accepted", "--service", SERVICE);
        assertThat(runs.exit()).as(runs.err()).isZero();
        assertThat(runs.out().lines()).hasSize(2).last().asString()
                .startsWith(runId).contains(" " + SERVICE + " ", " accepted ", " 1/3 ");

        Result get = cli("get", runId);
        assertThat(get.json().get("status").asText()).isEqualTo("accepted");
        assertThat(get.json().get("input").get("n").asInt()).isEqualTo(7);
        assertThat(get.json().get("tags")).containsExactly(JsonNodeFactory.instance.textNode("blue"));

        Result cancel = cli("cancel", runId, "--reason", "not needed");
        assertThat(cancel.exit()).isZero();
        assertThat(cancel.json().get("status").asText()).isEqualTo("cancelled");
        assertThat(cancel.err()).contains("settled: cancelled");

        Result tail = cli("tail", runId, "--json");
        assertThat(tail.exit()).as("tail exits 1 unless the run succeeded").isEqualTo(1);
        List<String> types = tail.out().lines().map(l -> {
            try {
                return Http.JSON.readTree(l).get("type").asText();
            } catch (Exception ex) {
                throw new AssertionError(l, ex);
            }
        }).toList();
        assertThat(types).containsExactly("run.accepted", "run.cancelled");
        assertThat(cli("tail", runId, "--after", "1").out()).contains("#2 run.cancelled").doesNotContain("run.accepted");
    }

    @Test
    void triggerWaitPrintsTheSettledRun() throws Exception {
        RunLedgerClient client = RunLedgerClient.builder().url(server.server.url()).key(key).build();
        try (Worker worker = Worker.builder(client).scope(SCOPE).pollWait(Duration.ofSeconds(1))
                .handle(SERVICE, (ctx, input) -> JsonNodeFactory.instance.objectNode().put("twice", 2 * input.get("n").asInt()))
                .build().start()) {
            Result waited = cli("trigger", SERVICE, "--input", "{\"n\": 21}", "--wait");
            assertThat(waited.exit()).as(waited.err()).isZero();
            assertThat(waited.json().get("status").asText()).isEqualTo("succeeded");
            assertThat(waited.json().get("output").get("twice").asInt()).isEqualTo(42);
        }
    }

    @Test
    void awaitLongerThanOneServerWaitAndShorterThanASecond() {
        RunLedgerClient client = RunLedgerClient.builder().url(server.server.url()).key(key).build();
        String runId = triggerRun();
        // Longer than the server holds one wait (300 s): not refused, the run comes back as it is.
        try (Worker worker = Worker.builder(client).scope(SCOPE).pollWait(Duration.ofSeconds(1))
                .handle(SERVICE, (ctx, input) -> null).build().start()) {
            Run run = client.runs().await(SCOPE, runId, Duration.ofMinutes(10));
            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        }
        // Half a second is waited (as a second), not turned into "do not wait".
        String queued = triggerRun();
        long start = System.nanoTime();
        Run still = client.runs().await(SCOPE, queued, Duration.ofMillis(500));
        assertThat(still.status()).isEqualTo(RunStatus.ACCEPTED);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(400_000_000L);
    }

    @Test
    void runsByHealthListsOnlyThoseRunsWithTheTimeOfTheirLatestEvent() {
        String quiet = triggerRun();
        String fresh = triggerRun();
        io.runledger.core.testing.TestDatabase.sql("update runs set created_at = created_at - interval '10 minutes',"
                + " updated_at = updated_at - interval '10 minutes', last_event_at = last_event_at - interval '10 minutes'"
                + " where run_id = '" + quiet + "'");
        Result stuck = cli("runs", "--health", "stuck");
        assertThat(stuck.exit()).as(stuck.err()).isZero();
        assertThat(stuck.out().lines()).hasSize(2);
        assertThat(stuck.out().lines().findFirst().orElseThrow()).contains("LAST EVENT");
        assertThat(stuck.out().lines().skip(1).findFirst().orElseThrow()).startsWith(quiet).contains(" accepted ")
                .contains(run(quiet).get("lastEventAt").asText());
        Result later = cli("runs", "--health", "stuck", "--stuck-after", "900");
        assertThat(later.out().lines()).hasSize(1);
        assertThat(cli("runs", "--health", "silent").out().lines()).hasSize(1);
        assertThat(cli("runs").out()).contains(quiet, fresh).doesNotContain("LAST EVENT");
        Result bad = cli("runs", "--health", "sick");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).startsWith("runledger: invalid_argument: ").hasLineCount(1);
        assertThat(cli("runs", "--health", "silent", "--silent-for", "0").err())
                .startsWith("runledger: invalid_argument: ");
    }

    @Test
    void badInputWritesNothing() {
        Result bad = cli("trigger", SERVICE, "--input", "{not json");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).startsWith("runledger: not JSON: ").hasLineCount(1);
        assertThat(count("runs")).isZero();
    }

    @Test
    void refusalsAreOneLineNotAStackTrace() {
        Result missing = cli("get", "run_nope");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).startsWith("runledger: run_not_found: ").hasLineCount(1);
        assertThat(cli("tail", "run_nope").err()).startsWith("runledger: run_not_found: ");
        assertThat(cli("cancel", "run_nope").err()).startsWith("runledger: run_not_found: ");
        assertThat(cli("trigger", "no-such-service").err()).startsWith("runledger: service_not_found: ");

        key = "rlk_wrong";
        Result worker = cli("worker", "--service", SERVICE, "--command", "true");
        assertThat(worker.exit()).as("a worker with a wrong key stops at once").isEqualTo(1);
        assertThat(worker.err()).startsWith("runledger: ").hasLineCount(1);
    }
}

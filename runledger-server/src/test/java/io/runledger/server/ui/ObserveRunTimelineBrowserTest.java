package io.runledger.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.sdk.ChildJvm;
import io.runledger.server.testing.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.StreamSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The run page's timeline chart in a real headless Chromium against the real server: a run
 * whose first attempt dies with its worker process (SIGKILL, the lease expires and the
 * sweeper recovers it) and whose second attempt succeeds in another worker process, drawn
 * as two attempt bars with the steps each recorded and every event a mark at its time; a
 * bar chosen on the canvas or from the keyboard shows exactly its events; and a running
 * run's open bars grow and its new events appear without a reload.
 */
class ObserveRunTimelineBrowserTest extends ObserveBrowserBase {
    /** Records step fetch once per run; attempt 1 then hangs until it is killed, attempt 2 records store. */
    private static final String SCRIPT = """
            cat >/dev/null
            if ! grep -q '"fetch"' "$RUNLEDGER_STEPS_FILE"; then
              echo '{"type":"step.completed","data":{"step":"fetch","output":{"rows":3}}}'
            fi
            if [ "$RUNLEDGER_ATTEMPT" = 1 ]; then echo hanging; exec sleep 60; fi
            echo '{"type":"step.completed","data":{"step":"store","output":{"stored":3}}}'
            echo '{"stored": true}'
            """;

    /** A 2-second lease: the sweeper recovers a killed worker's run within seconds. */
    @Override
    protected String serviceSpec() {
        return "{\"maxAttempts\":3,\"leaseTtlSeconds\":2}";
    }

    @BeforeEach
    void signedIn() {
        openSignedIn();
    }

    @Test
    void aRunWhoseFirstWorkerIsKilledShowsTwoAttemptsTheirStepsAndEachBarsEvents(@TempDir Path dir)
            throws Exception {
        String key = scopeKey();
        Path script = dir.resolve("steps.sh");
        Files.writeString(script, SCRIPT);
        Map<String, String> env = Map.of("RUNLEDGER_URL", server.server.url(), "RUNLEDGER_KEY", key);
        String runId = triggerRun();
        ChildJvm doomed = ChildJvm.start(dir, dir.resolve("doomed.log"), env, worker("doomed", script));
        ChildJvm survivor = null;
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .alias("attempt 1 recorded step fetch and hangs").until(() -> {
                        assertThat(doomed.process().isAlive()).as(doomed.output()).isTrue();
                        return TestDatabase.count("select count(*) from run_steps") == 1
                                && TestDatabase.count("select count(*) from run_events where type = 'output.delta'"
                                + " and data->>'text' = E'hanging\\n'") == 1;
                    });
            openRun(runId);
            // Attempt 1 runs: its bar is open and ends now, after its step.
            eventually().untilAsserted(() -> {
                JsonNode attempt = bar(chart(), "attempt-1");
                assertThat(attempt.get("open").asBoolean()).isTrue();
                assertThat(attempt.get("end").asLong()).isGreaterThan(bar(chart(), "step-fetch").get("end").asLong());
            });

            doomed.kill(); // SIGKILL: no hand-back, the lease has to expire
            assertThat(doomed.process().exitValue()).isEqualTo(137);
            survivor = ChildJvm.start(dir, dir.resolve("survivor.log"), env, worker("survivor", script));
            ChildJvm s = survivor;
            Awaitility.await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100))
                    .alias("the run finished by the survivor").until(() -> {
                        assertThat(s.process().isAlive()).as(s.output()).isTrue();
                        return run(runId).get("status").asText().equals("succeeded");
                    });
        } finally {
            doomed.kill();
            if (survivor != null) {
                survivor.close();
            }
        }
        List<JsonNode> events = events(runId);
        assertThat(events).extracting(e -> e.get("type").asText()).containsExactly("run.accepted", "run.started",
                "step.completed", "output.delta", "run.lease_expired", "run.retrying", "run.resumed", "run.started",
                "step.completed", "output.delta", "run.succeeded");

        // The page followed it all live: two attempts, each ended by what ended it, and the steps.
        eventually().untilAsserted(() -> assertChartOfTheKilledRun(chart(), events));
        List<Long> attempt1 = seqsOf(events, 2, 5);
        clickBar("attempt-1");
        eventually().untilAsserted(() -> {
            assertThat(panelSeqs()).isEqualTo(attempt1);
            assertThat(text(By.cssSelector("#bar-events h3"))).contains("Attempt 1", "expired");
        });
        assertThat(driver().getCurrentUrl()).endsWith("#/scopes/acme/runs/" + runId + "?bar=attempt-1");
        driver().executeScript("window.scrollTo(0, 0)");
        browser.docScreenshot("run-timeline");

        // A reload reads the same chart from the ledger and shows the same bar's events.
        driver().navigate().refresh();
        eventually().untilAsserted(() -> {
            assertChartOfTheKilledRun(chart(), events);
            assertThat(panelSeqs()).isEqualTo(attempt1);
        });

        // From the keyboard: the bars' table has a button per bar.
        WebElement store = driver().findElement(By.cssSelector("#gantt-bars button[data-bar='step-store']"));
        store.sendKeys(Keys.ENTER);
        eventually().untilAsserted(() -> {
            assertThat(panelSeqs()).isEqualTo(seqsOf(events, 9, 9));
            assertThat(driver().switchTo().activeElement().getTagName()).isEqualTo("h3");
        });
        assertThat(driver().getCurrentUrl()).endsWith("?bar=step-store");
        driver().findElement(By.cssSelector("#gantt-bars button[data-bar='run']")).sendKeys(Keys.ENTER);
        // the run's own bar: what happened between its attempts
        eventually().untilAsserted(() -> assertThat(panelSeqs()).containsExactly(1L, 6L, 7L));
        clickBar("attempt-2");
        eventually().untilAsserted(() -> assertThat(panelSeqs()).isEqualTo(seqsOf(events, 8, 11)));
        assertThat(timelineSeqs()).isEqualTo(seqs(11)); // the text timeline is all there too
        assertFitsLaptopAndPhone("run-timeline");
    }

    @Test
    void aRunningRunsBarsGrowAndItsNewEventsWaitsAndChildrenAppearWithoutAReload() {
        Http.Reply spec = api.put(P + "/services/" + SERVICE, "{\"maxAttempts\":3,\"leaseTtlSeconds\":60}");
        assertThat(spec.status()).as(spec.toString()).isEqualTo(200);
        String runId = triggerRun();
        String lease = leaseOne("worker-1").get("leaseToken").asText();
        openRun(runId);
        JsonNode first = eventually().until(ObserveRunTimelineBrowserTest::chart,
                c -> bar(c, "attempt-1").get("open").asBoolean());
        driver().executeScript("window.stillThisPage = document.querySelector('#run-timeline canvas')");
        long end = bar(first, "attempt-1").get("end").asLong();

        // The open bar ends now: it grows with no event.
        eventually().untilAsserted(() -> assertThat(bar(chart(), "attempt-1").get("end").asLong())
                .isGreaterThanOrEqualTo(end + 1500));

        // A new event is a mark on the attempt's row at its time; a step started is an open bar
        // until it completes.
        append(runId, lease, "{\"type\":\"progress\",\"data\":{\"pct\":50}}",
                "{\"type\":\"step.started\",\"data\":{\"step\":\"plan\"}}");
        eventually().untilAsserted(() -> {
            JsonNode chart = chart();
            assertMark(chart, event(runId, 3), "Attempt 1");
            assertMark(chart, event(runId, 4), "Attempt 1");
            JsonNode plan = bar(chart, "step-plan");
            assertThat(plan.get("open").asBoolean()).isTrue();
            assertThat(plan.get("start").asLong() + chart.get("origin").asLong()).isEqualTo(millis(event(runId, 4)));
        });
        append(runId, lease, "{\"type\":\"step.completed\",\"data\":{\"step\":\"plan\",\"output\":{}}}");
        eventually().untilAsserted(() -> assertBarEndsAt(chart(), "step-plan", event(runId, 5), "succeeded"));

        // It triggers a child and suspends on a token: its attempt's bar ends there, a wait's
        // bar grows, and the child (read again as the run's state changes) is a bar of its own.
        String child = child(runId, lease, "fan-out/1");
        String token = api.post(P + "/waitpoints", "{\"timeoutSeconds\":3600}").json().get("waitpointId").asText();
        Http.Reply suspended = api.post(P + "/runs/" + runId + "/suspend", "{\"leaseToken\":\"" + lease
                + "\",\"step\":\"approval\",\"waitpoints\":[{\"kind\":\"token\",\"waitpointId\":\"" + token + "\"}]}");
        assertThat(suspended.status()).as(suspended.toString()).isEqualTo(200);
        JsonNode waiting = event(runId, 6);
        assertThat(waiting.get("type").asText()).isEqualTo("run.waiting");
        JsonNode suspendedChart = eventually().until(ObserveRunTimelineBrowserTest::chart, c -> {
            JsonNode attempt = bar(c, "attempt-1");
            return !attempt.get("open").asBoolean() && bar(c, "wait-1") != null;
        });
        assertBarEndsAt(suspendedChart, "attempt-1", waiting, "waiting");
        JsonNode wait = bar(suspendedChart, "wait-1");
        assertThat(wait.get("y").asText()).isEqualTo("Wait approval");
        assertThat(wait.get("open").asBoolean()).isTrue();
        eventually().untilAsserted(() -> {
            JsonNode childBar = bar(chart(), "child-" + child);
            assertThat(childBar.get("kind").asText()).isEqualTo("child");
            assertThat(childBar.get("status").asText()).isEqualTo("accepted");
            assertThat(childBar.get("open").asBoolean()).isTrue();
        });
        eventually().untilAsserted(() -> assertThat(bar(chart(), "wait-1").get("end").asLong())
                .isGreaterThan(wait.get("end").asLong()));

        // The child runs and ends while the parent waits; the parent's page draws its end.
        JsonNode childLease = leaseOne("worker-2");
        assertThat(childLease.get("runId").asText()).isEqualTo(child);
        complete(child, childLease.get("leaseToken").asText(), "{\"ok\":true}");
        Instant childEnd = Instant.parse(run(child).get("finishedAt").asText());
        eventually().untilAsserted(() -> {
            JsonNode chart = chart();
            JsonNode childBar = bar(chart, "child-" + child);
            assertThat(childBar.get("status").asText()).isEqualTo("succeeded");
            assertThat(childBar.get("open").asBoolean()).isFalse();
            assertThat(childBar.get("end").asLong() + chart.get("origin").asLong()).isEqualTo(childEnd.toEpochMilli());
        });

        // The token completes: the wait ends at the resume, and the next lease is attempt 1 again.
        assertThat(api.post(P + "/waitpoints/" + token + "/complete", "{\"data\":{\"ok\":true}}").status())
                .isEqualTo(200);
        String again = eventually().until(() -> leaseOne("worker-3"), Objects::nonNull).get("leaseToken").asText();
        complete(runId, again, "{\"done\":true}");
        List<JsonNode> events = events(runId);
        assertThat(events).extracting(e -> e.get("type").asText()).containsExactly("run.accepted", "run.started",
                "progress", "step.started", "step.completed", "run.waiting", "run.resumed", "run.started",
                "run.succeeded");
        eventually().untilAsserted(() -> {
            JsonNode chart = chart();
            assertBarEndsAt(chart, "wait-1", events.get(6), "succeeded");
            assertBarEndsAt(chart, "attempt-1-2", events.get(8), "succeeded");
            assertThat(bar(chart, "attempt-1-2").get("y").asText()).isEqualTo("Attempt 1");
            assertThat(bar(chart, "attempt-1-2").get("start").asLong() + chart.get("origin").asLong())
                    .isEqualTo(millis(events.get(7)));
            assertBarEndsAt(chart, "run", events.get(8), "succeeded");
            for (JsonNode e : events) {
                long seq = e.get("seq").asLong();
                assertMark(chart, e, seq == 1 || seq == 7 ? "Run" : "Attempt 1");
            }
            assertThat(StreamSupport.stream(chart.get("bars").spliterator(), false).map(b -> b.get("open").asBoolean()))
                    .containsOnly(false);
        });
        assertThat(driver().executeScript(
                "return window.stillThisPage === document.querySelector('#run-timeline canvas')"))
                .as("the same page and the same canvas: updated in place, never reloaded or drawn anew").isEqualTo(true);
        assertThat(timelineSeqs()).isEqualTo(seqs(9));

        driver().findElement(By.cssSelector("#gantt-bars button[data-bar='wait-1']")).sendKeys(Keys.ENTER);
        eventually().untilAsserted(() -> assertThat(panelSeqs()).containsExactly(6L, 7L));
        driver().findElement(By.cssSelector("#gantt-bars button[data-bar='step-plan']")).sendKeys(Keys.ENTER);
        eventually().untilAsserted(() -> assertThat(panelSeqs()).containsExactly(4L, 5L));
        driver().findElement(By.cssSelector("#gantt-bars button[data-bar='child-" + child + "']")).sendKeys(Keys.ENTER);
        eventually().untilAsserted(() -> {
            assertThat(text(By.cssSelector("#bar-events a"))).isEqualTo(child);
            assertThat(panelSeqs()).containsExactly(1L, 2L, 3L); // the child's own ledger
        });
    }

    // --- what the chart shows ---

    private static void assertChartOfTheKilledRun(JsonNode chart, List<JsonNode> events) {
        assertThat(StreamSupport.stream(chart.get("bars").spliterator(), false)
                .filter(b -> b.get("kind").asText().equals("attempt")).map(b -> b.get("id").asText()))
                .containsExactly("attempt-1", "attempt-2");
        assertThat(bar(chart, "attempt-1").get("start").asLong() + chart.get("origin").asLong())
                .isEqualTo(millis(events.get(1)));
        assertBarEndsAt(chart, "attempt-1", events.get(4), "expired"); // the lease expiry
        assertThat(bar(chart, "attempt-2").get("start").asLong() + chart.get("origin").asLong())
                .isEqualTo(millis(events.get(7)));
        assertBarEndsAt(chart, "attempt-2", events.get(10), "succeeded");
        assertBarEndsAt(chart, "step-fetch", events.get(2), "succeeded");
        assertBarEndsAt(chart, "step-store", events.get(8), "succeeded");
        assertThat(bar(chart, "step-fetch").get("y").asText()).isEqualTo("Step fetch");
        assertThat(bar(chart, "step-store").get("y").asText()).isEqualTo("Step store");
        assertBarEndsAt(chart, "run", events.get(10), "succeeded");
        assertThat(chart.get("labels")).extracting(JsonNode::asText)
                .containsExactly("Run", "Attempt 1", "Step fetch", "Attempt 2", "Step store");
        assertThat(chart.get("marks")).hasSize(events.size());
        for (JsonNode e : events) {
            long seq = e.get("seq").asLong();
            assertMark(chart, e, seq >= 2 && seq <= 5 ? "Attempt 1" : seq >= 8 ? "Attempt 2" : "Run");
        }
    }

    private static void assertBarEndsAt(JsonNode chart, String id, JsonNode event, String status) {
        JsonNode bar = bar(chart, id);
        assertThat(bar).as("bar " + id).isNotNull();
        assertThat(bar.get("open").asBoolean()).as(id + " open").isFalse();
        assertThat(bar.get("status").asText()).as(id + " status").isEqualTo(status);
        assertThat(bar.get("endType").asText()).as(id + " ended by").isEqualTo(event.get("type").asText());
        assertThat(bar.get("end").asLong() + chart.get("origin").asLong()).as(id + " end").isEqualTo(millis(event));
    }

    private static void assertMark(JsonNode chart, JsonNode event, String row) {
        long seq = event.get("seq").asLong();
        JsonNode mark = StreamSupport.stream(chart.get("marks").spliterator(), false)
                .filter(m -> m.get("seq").asLong() == seq).findFirst().orElse(null);
        assertThat(mark).as("mark of event " + seq).isNotNull();
        assertThat(mark.get("type").asText()).isEqualTo(event.get("type").asText());
        assertThat(mark.get("y").asText()).as("row of event " + seq).isEqualTo(row);
        assertThat(mark.get("x").asLong() + chart.get("origin").asLong()).as("time of event " + seq)
                .isEqualTo(millis(event));
    }

    private static JsonNode bar(JsonNode chart, String id) {
        return StreamSupport.stream(chart.get("bars").spliterator(), false)
                .filter(b -> b.get("id").asText().equals(id)).findFirst().orElse(null);
    }

    /** The chart's data as Chart.js holds it: its rows, its bars and its marks. */
    private static JsonNode chart() {
        Object data = driver().executeScript("""
                const canvas = document.querySelector('#run-timeline canvas');
                const chart = Chart.getChart(canvas);
                const [bars, marks] = chart.data.datasets;
                return {
                  origin: Number(canvas.dataset.origin),
                  labels: chart.data.labels,
                  bars: bars.data.map(b => ({ id: b.id, kind: b.kind, status: b.status, open: b.open,
                    endType: b.endType, y: b.y, start: b.x[0], end: b.x[1] })),
                  marks: marks.data.map(m => ({ seq: m.seq, type: m.type, x: m.x, y: m.y })),
                };""");
        return Http.JSON.valueToTree(data);
    }

    /** A click on the canvas where Chart.js drew the bar. */
    private static void clickBar(String id) {
        WebElement canvas = driver().findElement(By.cssSelector("#run-timeline canvas"));
        driver().executeScript("arguments[0].scrollIntoView({block: 'center'})", canvas);
        @SuppressWarnings("unchecked")
        Map<String, Number> at = (Map<String, Number>) driver().executeScript("""
                const canvas = arguments[0];
                const chart = Chart.getChart(canvas);
                const index = chart.data.datasets[0].data.findIndex(b => b.id === arguments[1]);
                const point = chart.getDatasetMeta(0).data[index].getCenterPoint();
                const box = canvas.getBoundingClientRect();
                return { dx: point.x - box.width / 2, dy: point.y - box.height / 2 };""", canvas, id);
        new Actions(driver()).moveToElement(canvas, at.get("dx").intValue(), at.get("dy").intValue()).click().perform();
    }

    /** The seqs of the events the panel under the chart lists. */
    @SuppressWarnings("unchecked")
    private static List<Long> panelSeqs() {
        return (List<Long>) driver().executeScript(
                "return [...document.querySelectorAll('#bar-events li.event')].map(li => Number(li.dataset.seq))");
    }

    private static void openRun(String runId) {
        driver().get(server.server.url() + "/#/scopes/" + SCOPE + "/runs/" + runId);
        waitFor(By.cssSelector("#run-timeline canvas"));
    }

    // --- the ledger and the HTTP worker API ---

    private static List<JsonNode> events(String runId) {
        List<JsonNode> events = new ArrayList<>();
        api.get(P + "/runs/" + runId + "/events?limit=200").json().get("items").forEach(events::add);
        return events;
    }

    private static JsonNode event(String runId, long seq) {
        return events(runId).get((int) seq - 1);
    }

    private static List<Long> seqsOf(List<JsonNode> events, long from, long to) {
        return events.stream().map(e -> e.get("seq").asLong()).filter(s -> s >= from && s <= to).toList();
    }

    private static long millis(JsonNode event) {
        return Instant.parse(event.get("createdAt").asText()).toEpochMilli();
    }


    private static String child(String parent, String lease, String step) {
        Http.Reply r = api.post(P + "/runs/" + parent + "/children", "{\"leaseToken\":\"" + lease + "\",\"step\":\""
                + step + "\",\"service\":\"" + SERVICE + "\",\"input\":{\"part\":1}}");
        assertThat(r.status()).as(r.toString()).isBetween(200, 202);
        return r.json().get("runId").asText();
    }

    private static List<String> worker(String id, Path script) {
        return List.of("worker", "--scope", SCOPE, "--service", SERVICE, "--worker-id", id, "--command",
                "sh " + script);
    }
}

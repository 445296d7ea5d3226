package io.runledger.server.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.Select;

/**
 * Observe, the web UI, in a real headless Chromium against the real server: sign-in, the
 * live runs table, the run page following a run over SSE (through a reload, a pause and a
 * new tab), cancel, and the JSONL download. The "worker" here is the HTTP worker API itself.
 */
class ObserveBrowserTest extends ObserveBrowserBase {
    @BeforeEach
    void signedOut() {
        openSignedOut();
    }

    @Test
    void aWrongKeyGetsAClearMessageAndIsNotKept() {
        signIn("rlk_not-a-key-of-this-server", SCOPE);

        WebElement error = waitFor(By.id("signin-error"));
        eventually().untilAsserted(() -> assertThat(error.getText()).contains("This key was not accepted"));
        assertThat(error.isDisplayed()).isTrue();
        assertThat(driver().executeScript("return sessionStorage.getItem('runledger.key')")).isNull();
        assertThat(driver().findElements(By.id("runs-table"))).isEmpty();
    }

    @Test
    void runsAppearLiveWithTheirStatusAndOpenTheirRunPage() {
        signIn(scopeKey(), SCOPE);
        fromLandingToRuns();
        eventually().untilAsserted(() -> assertThat(text(By.id("runs-body"))).contains("No runs in this scope yet"));

        // A run is triggered while the page is open: it appears without a reload.
        String first = triggerRun();
        eventually().untilAsserted(() -> assertThat(rowStatus(first)).isEqualTo("accepted"));

        // Runs in several states, one with tags and a concurrency key; the table follows them.
        String token = leaseOne("worker-1").get("leaseToken").asText();
        complete(first, token, "{\"summary\":\"done\"}");
        String failed = triggerRun();
        fail(failed, leaseOne("worker-1").get("leaseToken").asText());
        Http.Reply tagged = trigger("{\"input\":{\"q\":\"eu\"},\"tags\":[\"nightly\",\"eu\"],"
                + "\"concurrencyKey\":\"customer-42\"}");
        String running = tagged.json().get("runId").asText();
        leaseOne("worker-2");
        String queued = triggerRun();
        eventually().untilAsserted(() -> {
            assertThat(rowStatus(first)).isEqualTo("succeeded");
            assertThat(rowStatus(failed)).isEqualTo("failed");
            assertThat(rowStatus(running)).isEqualTo("running");
            assertThat(rowStatus(queued)).isEqualTo("accepted");
        });
        assertThat(rowIds()).as("newest first").containsExactly(queued, running, failed, first);
        assertThat(text(row(running))).contains("customer-42", "nightly", "eu", "1 / 3");
        browser.docScreenshot("runs");
        assertFitsLaptopAndPhone("runs");

        // Filters go into the URL; a reload shows the same filtered page.
        new Select(driver().findElement(By.cssSelector("#filters select[name=status]"))).selectByValue("running");
        driver().findElement(By.cssSelector("#filters button[type=submit]")).click();
        eventually().untilAsserted(() -> assertThat(rowIds()).containsExactly(running));
        assertThat(driver().getCurrentUrl()).contains("status=running");
        driver().navigate().refresh();
        eventually().untilAsserted(() -> assertThat(rowIds()).containsExactly(running));

        row(running).findElement(By.cssSelector("a.run-link")).click();
        eventually().until(() -> driver().getCurrentUrl().endsWith("#/scopes/acme/runs/" + running));
        eventually().untilAsserted(() -> {
            assertThat(text(By.id("run-id"))).isEqualTo(running);
            assertThat(runStatus()).isEqualTo("running");
        });
    }

    @Test
    void olderAndNewerPagesFollowTheCursorKeptInTheUrlAndAFailedRunShowsItsError() {
        String oldest = triggerRun();
        fail(oldest, leaseOne("worker-1").get("leaseToken").asText());
        for (int i = 0; i < 25; i++) {
            triggerRun(); // 26 runs: a page of 25 and one more
        }
        signIn(scopeKey(), SCOPE);
        fromLandingToRuns();
        eventually().untilAsserted(() -> assertThat(rowIds()).hasSize(25).doesNotContain(oldest));
        List<String> newest = rowIds();

        driver().findElement(By.id("older")).click();
        eventually().untilAsserted(() -> assertThat(rowIds()).containsExactly(oldest));
        assertThat(driver().getCurrentUrl()).contains("?c=");
        assertThat(driver().findElement(By.id("older")).isEnabled()).isFalse();
        driver().navigate().refresh(); // the page is in the URL
        eventually().untilAsserted(() -> assertThat(rowIds()).containsExactly(oldest));

        driver().findElement(By.id("newer")).click();
        eventually().untilAsserted(() -> assertThat(rowIds()).isEqualTo(newest));
        assertThat(driver().findElement(By.id("newer")).isEnabled()).isFalse();

        driver().findElement(By.id("older")).click();
        eventually().untilAsserted(() -> assertThat(rowIds()).containsExactly(oldest));
        row(oldest).click();
        eventually().untilAsserted(() -> {
            assertThat(runStatus()).isEqualTo("failed");
            assertThat(text(By.id("run-error"))).contains("tool_error", "the search tool timed out");
        });
    }

    @Test
    void theTimelineFollowsTheRunLiveThroughAReloadAndAPauseWithoutGapsOrDuplicates() {
        String runId = triggerRun();
        signIn(TestServer.ADMIN_KEY, SCOPE); // the admin key opens any scope by name
        awaitLanding();
        driver().get(server.server.url() + "/#/scopes/" + SCOPE + "/runs/" + runId);
        eventually().untilAsserted(() -> {
            assertThat(timelineSeqs()).containsExactly(1L);
            assertThat(runStatus()).isEqualTo("accepted");
            assertThat(streamState()).isEqualTo("live");
        });

        String token = leaseOne("worker-1").get("leaseToken").asText();
        append(runId, token, "{\"type\":\"progress\",\"data\":{\"pct\":10}}",
                "{\"type\":\"output.delta\",\"data\":{\"text\":\"Hello, \"}}",
                "{\"type\":\"output.delta\",\"data\":{\"text\":\"world\"}}");
        eventually().untilAsserted(() -> {
            assertThat(timelineSeqs()).isEqualTo(seqs(5));
            assertThat(runStatus()).isEqualTo("running");
            assertThat(text(By.id("output-text"))).isEqualTo("Hello, world");
        });
        assertThat(text(By.cssSelector("#timeline li[data-seq='2']"))).contains("run.started", "worker-1");

        // A reload reads the same ledger from the server and follows on from its end.
        driver().navigate().refresh();
        eventually().untilAsserted(() -> {
            assertThat(timelineSeqs()).isEqualTo(seqs(5));
            assertThat(streamState()).isEqualTo("live");
        });
        append(runId, token, "{\"type\":\"output.delta\",\"data\":{\"text\":\"!\"}}",
                "{\"type\":\"step.started\",\"data\":{\"step\":\"search\"}}");
        eventually().untilAsserted(() -> {
            assertThat(timelineSeqs()).isEqualTo(seqs(7));
            assertThat(text(By.id("output-text"))).isEqualTo("Hello, world!");
        });

        // Paused, the stream is closed; resumed, it continues from the last seq shown.
        driver().findElement(By.id("follow-toggle")).click();
        eventually().untilAsserted(() -> assertThat(streamState()).isEqualTo("paused"));
        append(runId, token, "{\"type\":\"log\",\"data\":{\"line\":\"a\"}}",
                "{\"type\":\"log\",\"data\":{\"line\":\"b\"}}",
                "{\"type\":\"step.completed\",\"data\":{\"step\":\"search\"}}");
        driver().findElement(By.id("follow-toggle")).click();
        eventually().untilAsserted(() -> assertThat(timelineSeqs()).isEqualTo(seqs(10)));

        complete(runId, token, "{\"answer\":42}");
        eventually().untilAsserted(() -> {
            assertThat(runStatus()).isEqualTo("succeeded");
            assertThat(streamState()).isEqualTo("ended");
            assertThat(timelineSeqs()).isEqualTo(seqs(11));
            assertThat(text(By.id("run-output"))).contains("\"answer\": 42");
        });
        assertThat(driver().findElement(By.id("cancel-run")).isDisplayed()).isFalse();
        driver().findElement(By.cssSelector("#timeline li[data-seq='2'] details > summary")).click(); // its JSON
        assertThat(text(By.cssSelector("#timeline li[data-seq='2'] pre.json"))).contains("\"workerId\": \"worker-1\"");
        browser.docScreenshot("run");
        assertFitsLaptopAndPhone("run");

        // The ledger download: built in the browser from pages of GET .../events.
        Path file = Browser.DOWNLOADS.resolve(runId + ".jsonl");
        deleteIfExists(file);
        driver().findElement(By.id("download-ledger")).click();
        eventually().until(() -> Files.exists(file) && lines(file).size() == 11);
        List<String> lines = lines(file);
        for (int i = 0; i < lines.size(); i++) {
            JsonNode event = json(lines.get(i));
            assertThat(event.get("seq").asLong()).isEqualTo(i + 1);
            assertThat(event.get("runId").asText()).isEqualTo(runId);
        }
    }

    @Test
    void aDroppedStreamResumesFromTheLastSeqWithoutGapsOrDuplicates() {
        String runId = triggerRun();
        String token = leaseOne("worker-1").get("leaseToken").asText();
        signIn(TestServer.ADMIN_KEY, SCOPE);
        awaitLanding();
        driver().get(server.server.url() + "/#/scopes/" + SCOPE + "/runs/" + runId);
        eventually().untilAsserted(() -> assertThat(streamState()).isEqualTo("live"));

        // The network fails the next stream right after its first chunk of events.
        driver().executeScript(DROP_NEXT_STREAM);
        driver().findElement(By.id("follow-toggle")).click();
        eventually().untilAsserted(() -> assertThat(streamState()).isEqualTo("paused"));
        driver().findElement(By.id("follow-toggle")).click();
        eventually().untilAsserted(() -> assertThat(streamState()).isEqualTo("live"));
        for (int i = 1; i <= 6; i++) {
            append(runId, token, "{\"type\":\"progress\",\"data\":{\"step\":" + i + "}}");
        }
        complete(runId, token, "{\"ok\":true}");

        eventually().untilAsserted(() -> {
            assertThat(driver().executeScript("return window.droppedStreams")).isEqualTo(1L);
            assertThat(driver().executeScript("return window.streamStates")).asString().contains("reconnecting");
            assertThat(timelineSeqs()).isEqualTo(seqs(9));
            assertThat(streamState()).isEqualTo("ended");
            assertThat(runStatus()).isEqualTo("succeeded");
        });
    }

    /**
     * Wraps EventSource so that the next stream fails for good right after its first event,
     * as when the server refuses to resume it, and records the stream states the page shows.
     */
    private static final String DROP_NEXT_STREAM = """
            const state = document.getElementById('stream-state');
            window.streamStates = [];
            new MutationObserver(() => window.streamStates.push(state.dataset.state))
                .observe(state, { attributes: true, attributeFilter: ['data-state'] });
            const RealEventSource = window.EventSource;
            window.droppedStreams = 0;
            window.EventSource = class extends RealEventSource {
              constructor(url, init) {
                super(url, init);
                if (window.droppedStreams > 0) return;
                window.droppedStreams++;
                this.addEventListener('message', () => setTimeout(() => {
                  this.close();
                  this.dispatchEvent(new Event('error'));
                }), { once: true });
              }
            };
            """;

    @Test
    void aSignalSentFromTheRunPageReachesTheWorkerAndTheTimeline() {
        String runId = triggerRun();
        String token = leaseOne("worker-1").get("leaseToken").asText();
        signIn(scopeKey(), SCOPE);
        awaitLanding();
        driver().get(server.server.url() + "/#/scopes/" + SCOPE + "/runs/" + runId);

        // Shown because this server's /openapi.json documents POST .../signals.
        waitFor(By.id("signal-run")).click();
        WebElement form = waitFor(By.id("signal-form"));
        form.findElement(By.name("type")).sendKeys("approve");
        WebElement data = form.findElement(By.name("data"));
        data.clear();
        data.sendKeys("{\"by\":\"alice\"}");
        new Select(form.findElement(By.name("severity"))).selectByValue("warning");
        form.findElement(By.cssSelector("button[type=submit]")).click();

        eventually().untilAsserted(() -> {
            assertThat(text(By.id("action-result"))).contains("Signal sent");
            assertThat(timelineTypes()).contains("run.signal");
        });
        Http.Reply hb = api.post(P + "/runs/" + runId + "/heartbeat", "{\"leaseToken\":\"" + token + "\"}");
        assertThat(hb.json().get("messages").toString()).contains("approve", "alice");
    }

    @Test
    void cancellingARunningRunSettlesItCancelledAndANewTabShowsTheSameRun() {
        String key = scopeKey();
        String runId = triggerRun();
        String token = leaseOne("worker-1").get("leaseToken").asText();
        signIn(key, SCOPE);
        awaitLanding();
        driver().get(server.server.url() + "/#/scopes/" + SCOPE + "/runs/" + runId);
        eventually().untilAsserted(() -> assertThat(runStatus()).isEqualTo("running"));

        WebElement cancel = driver().findElement(By.id("cancel-run"));
        cancel.click();
        eventually().untilAsserted(() -> assertThat(cancel.getText()).isEqualTo("Confirm cancel"));
        cancel.click();
        eventually().untilAsserted(() -> assertThat(text(By.id("action-result"))).contains("Stop requested"));

        // The worker learns of the stop on its heartbeat and settles the run.
        Http.Reply hb = api.post(P + "/runs/" + runId + "/heartbeat", "{\"leaseToken\":\"" + token + "\"}");
        assertThat(hb.json().get("stopRequested").asBoolean()).as(hb.toString()).isTrue();
        Http.Reply stopped = api.post(P + "/runs/" + runId + "/fail", "{\"leaseToken\":\"" + token
                + "\",\"error\":{\"code\":\"stopped\",\"message\":\"stopped on request\"},\"retryable\":false}");
        assertThat(stopped.status()).as(stopped.toString()).isEqualTo(200);
        eventually().untilAsserted(() -> {
            assertThat(runStatus()).isEqualTo("cancelled");
            assertThat(timelineTypes()).contains("run.stop_requested", "run.cancelled");
            assertThat(streamState()).isEqualTo("ended");
            assertThat(cancel.isDisplayed()).isFalse();
        });
        List<Long> seen = timelineSeqs();

        // A new tab has no key (it is kept per tab): it asks for one, then shows the same run.
        String tab = driver().getWindowHandle();
        driver().switchTo().newWindow(WindowType.TAB);
        try {
            driver().get(server.server.url() + "/#/scopes/" + SCOPE + "/runs/" + runId);
            eventually().untilAsserted(() ->
                    assertThat(driver().findElement(By.id("signin-scope")).getDomProperty("value")).isEqualTo(SCOPE));
            driver().findElement(By.id("signin-key")).sendKeys(key);
            driver().findElement(By.id("signin-submit")).click();
            eventually().untilAsserted(() -> {
                assertThat(text(By.id("run-id"))).isEqualTo(runId);
                assertThat(runStatus()).isEqualTo("cancelled");
                assertThat(timelineSeqs()).isEqualTo(seen);
            });
            assertThat(driver().getCurrentUrl()).endsWith("#/scopes/acme/runs/" + runId);
        } finally {
            driver().close();
            driver().switchTo().window(tab);
        }
    }

    // --- the browser ---

    private static WebElement row(String runId) {
        return driver().findElement(By.cssSelector("#runs-body tr[data-run-id='" + runId + "']"));
    }

    private static String rowStatus(String runId) {
        return row(runId).findElement(By.cssSelector(".badge")).getDomAttribute("data-status");
    }

    @SuppressWarnings("unchecked")
    private static List<String> rowIds() {
        return (List<String>) driver().executeScript(
                "return [...document.querySelectorAll('#runs-body tr[data-run-id]')].map(tr => tr.dataset.runId)");
    }

    // --- the server side: a scope key and a worker speaking the HTTP worker API ---

    private static void fail(String runId, String token) {
        Http.Reply r = api.post(P + "/runs/" + runId + "/fail", "{\"leaseToken\":\"" + token
                + "\",\"error\":{\"code\":\"tool_error\",\"message\":\"the search tool timed out\"},"
                + "\"retryable\":false}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    private static JsonNode json(String text) {
        try {
            return Http.JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteIfExists(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

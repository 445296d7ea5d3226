package io.runledger.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.client.RunLedgerClient;
import io.runledger.client.Worker;
import io.runledger.core.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Observe's workers page in a real headless Chromium, listing Java SDK workers started here
 * against the real server (and one speaking the protocol itself, with capabilities): their
 * services and versions, the run one of them holds, and a stopped worker last seen five
 * minutes ago marked stale.
 */
class ObserveWorkersBrowserTest extends ObserveBrowserBase {

    @Test
    void theWorkersPageListsTheWorkersWithTheirRunsAndMarksAStoppedOneStale() throws Exception {
        openSignedIn();
        assertThat(api.put(P + "/services/mail", "{}").status()).isEqualTo(200);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (RunLedgerClient client = RunLedgerClient.builder().url(server.server.url()).key(scopeKey()).build()) {
            // A worker that polled once and stopped: the database says it was last seen 5 min ago.
            Worker retired = Worker.builder(client).scope(SCOPE).workerId("retired-1").version("1.3.0")
                    .pollWait(Duration.ofSeconds(1)).handle("mail", (ctx, input) -> null).build().start();
            eventually().until(() -> api.get(P + "/workers").json().get("items").size() == 1);
            retired.close();
            TestDatabase.sql("update workers set last_seen_at = now() - interval '5 minutes'"
                    + " where worker_id = 'retired-1'");

            try (Worker ingest = Worker.builder(client).scope(SCOPE).workerId("ingest-1").version("1.4.2")
                    .pollWait(Duration.ofSeconds(1))
                    .handle(SERVICE, (ctx, input) -> {
                        holding.countDown();
                        release.await(30, TimeUnit.SECONDS);
                        return null;
                    }).build().start();
                 Worker mailer = Worker.builder(client).scope(SCOPE).workerId("mailer-1").version("0.9.0")
                         .pollWait(Duration.ofSeconds(1)).handle("mail", (ctx, input) -> null).build().start()) {
                // A worker speaking the HTTP protocol itself announces capabilities too.
                assertThat(api.post(P + "/workers/lease", "{\"workerId\":\"gpu-1\",\"services\":[\"mail\"],"
                        + "\"max\":1,\"waitSeconds\":0,\"version\":\"2.0.0\",\"capabilities\":{\"gpu\":\"a100\"}}")
                        .status()).isEqualTo(200);
                String held = triggerRun();
                assertThat(holding.await(20, TimeUnit.SECONDS)).as("the handler holds the run").isTrue();

                waitFor(By.id("nav-workers")).click();
                // (each poll draws the table anew, so its cells are read again until they match)
                eventually().untilAsserted(() -> {
                    assertThat(driver().getCurrentUrl()).endsWith("#/scopes/acme/workers");
                    assertThat(workerIds()).containsExactlyInAnyOrder("gpu-1", "ingest-1", "mailer-1",
                            "retired-1");
                    assertThat(cell("ingest-1", ".runs-held")).isEqualTo("1");
                    assertThat(cell("mailer-1", ".runs-held")).isEqualTo("0");
                    assertThat(stale("retired-1")).isEqualTo("true");
                    assertThat(stale("ingest-1")).isEqualTo("false");
                    assertThat(stale("mailer-1")).isEqualTo("false");
                    assertThat(cell("retired-1", "[data-state]")).isEqualTo("stale");
                    assertThat(cell("ingest-1", "[data-state]")).isEqualTo("live");
                    assertThat(cell("ingest-1", ".version")).isEqualTo("1.4.2");
                    assertThat(cell("mailer-1", ".version")).isEqualTo("0.9.0");
                    assertThat(services("ingest-1")).containsExactly(SERVICE);
                    assertThat(services("mailer-1")).containsExactly("mail");
                    assertThat(cell("retired-1", ".last-seen")).contains("5 min ago").contains("UTC");
                    assertThat(cell("gpu-1", ".capabilities")).isEqualTo("{\"gpu\":\"a100\"}");
                    assertThat(row("ingest-1").findElements(By.cssSelector(".capabilities"))).as("none announced")
                            .isEmpty();
                    assertThat(text(By.id("workers-summary"))).contains("4 workers seen, 1 stale", "1 run held now");
                });
                browser.docScreenshot("workers");
                assertFitsLaptopAndPhone("workers");

                // Runs held links to the running runs of the worker's service.
                eventually().untilAsserted(() -> row("ingest-1").findElement(By.cssSelector(".runs-held")).click());
                eventually().untilAsserted(() -> {
                    assertThat(driver().getCurrentUrl()).contains("#/scopes/acme/runs?service=work&status=running");
                    assertThat(driver().findElements(By.cssSelector("#runs-body tr[data-run-id]")))
                            .extracting(tr -> tr.getDomAttribute("data-run-id")).containsExactly(held);
                });
                release.countDown();
            }
        } finally {
            release.countDown();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> workerIds() {
        return (List<String>) driver().executeScript(
                "return [...document.querySelectorAll('#workers-body tr[data-worker-id]')].map(tr => tr.dataset.workerId)");
    }

    private static WebElement row(String workerId) {
        return driver().findElement(By.cssSelector("#workers-body tr[data-worker-id='" + workerId + "']"));
    }

    private static String stale(String workerId) {
        return row(workerId).getDomAttribute("data-stale");
    }

    private static String cell(String workerId, String css) {
        WebElement e = row(workerId).findElement(By.cssSelector(css));
        String state = e.getDomAttribute("data-state");
        return state != null ? state : e.getText();
    }

    private static List<String> services(String workerId) {
        return row(workerId).findElements(By.cssSelector("a.service")).stream().map(WebElement::getText).toList();
    }
}

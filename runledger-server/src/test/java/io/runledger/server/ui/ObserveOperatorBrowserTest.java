package io.runledger.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.testing.Http;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Observe's operator pages in a real headless Chromium against the real server: the
 * services page (queues, pause and resume, schedules), the health filters of the runs page
 * and a bulk cancel of the filtered runs after a confirmation that shows how many match.
 */
class ObserveOperatorBrowserTest extends ObserveBrowserBase {
    @Override
    protected String serviceSpec() {
        // retries at once, so a retryable failure leaves the run queued at attempt 2
        return "{\"maxAttempts\":3,\"leaseTtlSeconds\":30,\"retry\":{\"initialDelaySeconds\":0}}";
    }

    @BeforeEach
    void signedIn() {
        openSignedIn();
    }

    @Test
    void theServicesPageShowsQueuesAndSchedulesAndPausesAndResumesAService() {
        assertThat(api.put(P + "/services/idle", "{\"description\":\"nothing queued\"}").status()).isEqualTo(200);
        for (int i = 0; i < 3; i++) {
            triggerRun();
        }
        Http.Reply schedule = api.put(P + "/schedules/nightly",
                "{\"service\":\"work\",\"cron\":\"0 3 * * *\",\"timezone\":\"Europe/Berlin\",\"input\":{}}");
        assertThat(schedule.status()).as(schedule.toString()).isIn(200, 201);

        waitFor(By.id("nav-services")).click();
        eventually().untilAsserted(() -> {
            assertThat(driver().getCurrentUrl()).endsWith("#/scopes/acme/services");
            assertThat(text(service("work"), ".queue-depth")).isEqualTo("3");
            assertThat(state("work")).isEqualTo("active");
            assertThat(text(service("idle"), ".queue-depth")).isEqualTo("0");
            assertThat(service("work").findElement(By.cssSelector("li.schedule[data-schedule='nightly']")).getText())
                    .contains("nightly", "0 3 * * *", "Europe/Berlin", "next");
        });
        browser.docScreenshot("services");
        assertFitsLaptopAndPhone("services");

        service("work").findElement(By.cssSelector("button[data-action=pause]")).click();
        eventually().untilAsserted(() -> {
            assertThat(state("work")).isEqualTo("paused");
            assertThat(text(By.id("services-result"))).contains("Service work paused");
        });
        assertThat(api.get(P + "/services/work").json().get("paused").asBoolean()).isTrue();
        assertThat(lease().get("leases")).isEmpty();

        service("work").findElement(By.cssSelector("button[data-action=resume]")).click();
        eventually().untilAsserted(() -> assertThat(state("work")).isEqualTo("active"));
        assertThat(api.get(P + "/services/work").json().get("paused").asBoolean()).isFalse();
        assertThat(lease().get("leases")).hasSize(1);
        eventually().untilAsserted(() -> assertThat(text(service("work"), ".queue-depth")).isEqualTo("2"));
    }

    @Test
    void theHealthFilterShowsExactlyTheRetryingRuns() {
        String retrying = triggerRun();
        String healthy = triggerRun();
        JsonNode lease = leaseOne("worker-1");
        assertThat(lease.get("runId").asText()).isEqualTo(retrying);
        Http.Reply failed = api.post(P + "/runs/" + retrying + "/fail", "{\"leaseToken\":\""
                + lease.get("leaseToken").asText() + "\",\"error\":{\"code\":\"flaky\",\"message\":\"once\"},"
                + "\"retryable\":true}");
        assertThat(failed.status()).as(failed.toString()).isEqualTo(200);

        new Select(waitFor(By.cssSelector("#filters select[name=health]"))).selectByValue("retrying");
        driver().findElement(By.cssSelector("#filters button[type=submit]")).click();
        eventually().untilAsserted(() -> {
            assertThat(driver().getCurrentUrl()).contains("health=retrying");
            assertThat(runIds()).containsExactly(retrying);
        });
        assertThat(runIds()).doesNotContain(healthy);
    }

    @Test
    void aBulkCancelOfTheFilteredRunsAsksWithTheCountThenCancelsThemAll() {
        assertThat(api.put(P + "/services/other", "{}").status()).isEqualTo(200);
        List<String> work = List.of(triggerRun(), triggerRun(), triggerRun(), triggerRun(), triggerRun());
        String other = api.post(P + "/services/other/runs", "{\"input\":{}}").json().get("runId").asText();

        WebElement service = waitFor(By.cssSelector("#filters input[name=service]"));
        service.sendKeys(SERVICE);
        driver().findElement(By.cssSelector("#filters button[type=submit]")).click();
        eventually().untilAsserted(() -> assertThat(runIds()).containsExactlyInAnyOrderElementsOf(work));

        waitFor(By.id("bulk-cancel")).click();
        eventually().untilAsserted(() -> {
            assertThat(driver().findElement(By.id("bulk-matched")).getDomAttribute("data-matched")).isEqualTo("5");
            assertThat(text(By.id("bulk-confirm"))).contains("service = work");
        });
        // nothing happened yet: the count was a dry run
        assertThat(run(work.get(0)).get("status").asText()).isEqualTo("accepted");
        browser.docScreenshot("bulk-confirm");

        driver().findElement(By.id("bulk-go")).click();
        eventually().untilAsserted(() -> {
            WebElement progress = driver().findElement(By.id("bulk-progress"));
            assertThat(progress.getDomAttribute("data-status")).isEqualTo("completed");
            assertThat(progress.getText()).contains("5 of 5 cancelled");
        });
        for (String id : work) {
            assertThat(run(id).get("status").asText()).isEqualTo("cancelled");
        }
        assertThat(run(other).get("status").asText()).isEqualTo("accepted");
    }

    // --- the browser ---

    private static JsonNode lease() {
        Http.Reply r = api.post(P + "/workers/lease",
                "{\"workerId\":\"w\",\"services\":[\"" + SERVICE + "\"],\"max\":1,\"waitSeconds\":0}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static WebElement service(String name) {
        return driver().findElement(By.cssSelector("#services-body tr[data-service='" + name + "']"));
    }

    private static String state(String name) {
        return service(name).findElement(By.cssSelector("[data-state]")).getDomAttribute("data-state");
    }

    private static String text(WebElement in, String css) {
        return in.findElement(By.cssSelector(css)).getText();
    }

    @SuppressWarnings("unchecked")
    private static List<String> runIds() {
        return (List<String>) driver().executeScript(
                "return [...document.querySelectorAll('#runs-body tr[data-run-id]')].map(tr => tr.dataset.runId)");
    }

}

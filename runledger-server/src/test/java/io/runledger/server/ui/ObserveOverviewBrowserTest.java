package io.runledger.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The overview, a scope's landing page, in a real Chromium: each service's chart holds
 * exactly the runs the test made in each state (read from the chart's own data), its
 * numbers match, the window is in the URL, new runs appear without a reload, and a bar
 * leads to the runs list filtered to it.
 */
class ObserveOverviewBrowserTest extends ObserveBrowserBase {
    private static final String OTHER = "mail";

    @Override
    protected String serviceSpec() {
        return "{\"maxAttempts\":1,\"leaseTtlSeconds\":30}";
    }

    @Test
    void theChartsShowExactlyTheRunsOfEachStateAndLeadToThem() {
        assertThat(api.put(P + "/services/" + OTHER, "{\"maxAttempts\":1}").status()).isEqualTo(200);
        // work: 3 succeeded, 2 failed, 1 cancelled, 1 running, 2 queued (9 triggered); mail: 1 succeeded
        for (int i = 0; i < 9; i++) {
            triggerRun();
        }
        for (int i = 0; i < 3; i++) {
            settle(leaseOne("w1"), "complete", "\"output\":{\"ok\":true}");
        }
        for (int i = 0; i < 2; i++) {
            settle(leaseOne("w1"), "fail", "\"error\":{\"code\":\"boom\",\"message\":\"no\"},\"retryable\":false");
        }
        JsonNode toStop = leaseOne("w1");
        String cancelled = toStop.get("runId").asText();
        assertThat(api.post(P + "/runs/" + cancelled + "/cancel", "{}").status()).isEqualTo(202);
        settle(toStop, "fail", "\"error\":{\"code\":\"stopped\",\"message\":\"stopped\"},\"retryable\":false");
        assertThat(run(cancelled).get("status").asText()).isEqualTo("cancelled");
        leaseOne("w1"); // stays running
        String mailRun = api.post(P + "/services/" + OTHER + "/runs", "{\"input\":{}}").json().get("runId").asText();
        settleRun(mailRun, lease(OTHER), "complete", "\"output\":{}");

        // The settled runs happened over the last 35 minutes, 5 minutes apart (a chart worth a look).
        TestDatabase.sql("update runs r set created_at = r.created_at - make_interval(mins => x.k::int * 5),"
                + " started_at = r.started_at - make_interval(mins => x.k::int * 5),"
                + " finished_at = r.finished_at - make_interval(mins => x.k::int * 5)"
                + " from (select run_id, row_number() over (order by run_id) as k from runs"
                + "       where status in ('succeeded', 'failed', 'cancelled')) x where r.run_id = x.run_id");
        TestDatabase.forgetRunStats(); // history was rewritten: count it again
        openSignedOut();
        signIn(scopeKey(), SCOPE);
        awaitLanding();
        eventually().untilAsserted(() -> {
            assertThat(series(SERVICE)).containsEntry("triggered", 9L).containsEntry("succeeded", 3L)
                    .containsEntry("failed", 2L).containsEntry("cancelled", 1L).containsEntry("expired", 0L);
            assertThat(series(OTHER)).containsEntry("triggered", 1L).containsEntry("succeeded", 1L)
                    .containsEntry("failed", 0L);
            assertThat(stat(SERVICE, "queued")).isEqualTo("2");
            assertThat(stat(SERVICE, "running")).isEqualTo("1");
            assertThat(stat(SERVICE, "failed")).isEqualTo("2");
            assertThat(stat(SERVICE, "waiting")).isEqualTo("0");
        });
        assertThat(card(SERVICE).getText()).contains("40 %"); // 2 of 5 settled succeeded or failed
        browser.docScreenshot("overview");
        browser.colorScheme(true);
        try {
            eventually().untilAsserted(() -> assertThat(series(SERVICE)).containsEntry("succeeded", 3L));
            driver().navigate().refresh(); // the charts take the theme's colours when drawn
            eventually().untilAsserted(() -> assertThat(series(SERVICE)).containsEntry("succeeded", 3L));
            browser.docScreenshot("overview-dark");
        } finally {
            browser.colorScheme(false);
        }
        assertFitsLaptopAndPhone("overview");

        // Live: a new run shows without a reload.
        triggerRun();
        eventually().untilAsserted(() -> assertThat(series(SERVICE)).containsEntry("triggered", 10L));

        // The window is in the URL, and a reload shows the same.
        driver().findElement(By.cssSelector("#overview-window a[data-window='24h']")).click();
        eventually().until(() -> driver().getCurrentUrl().endsWith("#/scopes/acme/overview?window=24h"));
        driver().navigate().refresh();
        eventually().untilAsserted(() -> {
            assertThat(driver().findElement(By.cssSelector("#overview-window a.current")).getDomAttribute(
                    "data-window")).isEqualTo("24h");
            assertThat(bucketCount(SERVICE)).isEqualTo(48);
            assertThat(series(SERVICE)).containsEntry("failed", 2L);
        });

        // A run settled 2 hours ago is in the 24 h window and not in the 1 h one.
        TestDatabase.sql("update runs set finished_at = now() - interval '2 hours' where run_id = '" + mailRun + "'");
        TestDatabase.forgetRunStats(); // history was rewritten: count it again
        eventually().untilAsserted(() -> assertThat(series(OTHER)).containsEntry("succeeded", 1L));
        driver().findElement(By.cssSelector("#overview-window a[data-window='1h']")).click();
        eventually().untilAsserted(() -> assertThat(series(OTHER)).containsEntry("succeeded", 0L)
                .containsEntry("triggered", 1L));

        // A bar leads to the runs list filtered to its service and outcome.
        clickBar(SERVICE, "failed");
        eventually().untilAsserted(() -> {
            assertThat(driver().getCurrentUrl()).endsWith("#/scopes/acme/runs?service=work&status=failed");
            assertThat(driver().findElements(By.cssSelector("#runs-body tr[data-status=failed]"))).hasSize(2);
        });
    }

    @Test
    void oneServiceAloneIsInTheUrl() {
        assertThat(api.put(P + "/services/" + OTHER, "{}").status()).isEqualTo(200);
        triggerRun();
        openSignedOut();
        signIn(scopeKey(), SCOPE);
        awaitLanding();
        eventually().untilAsserted(() -> assertThat(driver().findElements(By.cssSelector(".service-card")))
                .hasSize(2));
        new org.openqa.selenium.support.ui.Select(waitFor(By.id("overview-service"))).selectByValue(SERVICE);
        eventually().untilAsserted(() -> {
            assertThat(driver().getCurrentUrl()).endsWith("#/scopes/acme/overview?service=work");
            assertThat(driver().findElements(By.cssSelector(".service-card"))).hasSize(1);
            assertThat(series(SERVICE)).containsEntry("triggered", 1L);
        });
        // Keyboard: the numbers of the chart are in a table too.
        WebElement summary = card(SERVICE).findElement(By.cssSelector(".chart-table summary"));
        summary.sendKeys(" ");
        eventually().untilAsserted(() -> assertThat(card(SERVICE).findElement(By.cssSelector("table.chart-data"))
                .isDisplayed()).isTrue());
    }

    /** The sum of each dataset of a service's chart, by label: what the picture shows. */
    @SuppressWarnings("unchecked")
    private static Map<String, Long> series(String service) {
        Map<String, Object> sums = (Map<String, Object>) driver().executeScript("""
                const chart = Chart.getChart(document.querySelector(`.service-card[data-service='${arguments[0]}'] canvas`));
                const out = {};
                for (const ds of chart.data.datasets) out[ds.label] = ds.data.reduce((a, b) => a + b, 0);
                return out;""", service);
        return sums.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                e -> ((Number) e.getValue()).longValue()));
    }

    private static long bucketCount(String service) {
        return ((Number) driver().executeScript("return Chart.getChart(document.querySelector("
                + "`.service-card[data-service='${arguments[0]}'] canvas`)).data.labels.length", service)).longValue();
    }

    /** Clicks the middle of the first non-empty bar of a dataset, where a user would. */
    @SuppressWarnings("unchecked")
    private static void clickBar(String service, String label) {
        WebElement canvas = card(service).findElement(By.tagName("canvas"));
        List<Number> at = (List<Number>) driver().executeScript("""
                const chart = Chart.getChart(arguments[0]);
                const i = chart.data.datasets.findIndex(ds => ds.label === arguments[1]);
                const j = chart.data.datasets[i].data.findIndex(v => v > 0);
                const bar = chart.getDatasetMeta(i).data[j];
                const box = arguments[0].getBoundingClientRect();
                return [bar.x - box.width / 2, (bar.y + bar.base) / 2 - box.height / 2];""", canvas, label);
        new Actions(driver()).moveToElement(canvas, at.get(0).intValue(), at.get(1).intValue()).click().perform();
    }

    private static WebElement card(String service) {
        return driver().findElement(By.cssSelector(".service-card[data-service='" + service + "']"));
    }

    private static String stat(String service, String name) {
        return card(service).findElement(By.cssSelector("[data-stat='" + name + "']")).getText();
    }

    private static JsonNode lease(String service) {
        Http.Reply r = api.post(P + "/workers/lease", "{\"workerId\":\"w2\",\"services\":[\"" + service
                + "\"],\"max\":1,\"waitSeconds\":0}");
        assertThat(r.json().get("leases")).as(r.toString()).hasSize(1);
        return r.json().get("leases").get(0);
    }

    private static void settle(JsonNode lease, String how, String fields) {
        settleRun(lease.get("runId").asText(), lease, how, fields);
    }

    private static void settleRun(String runId, JsonNode lease, String how, String fields) {
        Http.Reply r = api.post(P + "/runs/" + runId + "/" + how, "{\"leaseToken\":\""
                + lease.get("leaseToken").asText() + "\"," + fields + "}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }
}

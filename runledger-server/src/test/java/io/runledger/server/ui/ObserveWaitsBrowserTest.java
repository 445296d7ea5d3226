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
 * Observe's run page for orchestration, in a real headless Chromium against the real
 * server: what a waiting run waits on and a token completed from the page (a person's
 * approval), a parent's children and recorded steps, and replay. The worker is the HTTP
 * worker API itself.
 */
class ObserveWaitsBrowserTest extends ObserveBrowserBase {
    @BeforeEach
    void signedIn() {
        openSignedIn();
    }

    @Test
    void aRunWaitingOnTokensShowsThemAndResumesWhenTheLastIsCompletedFromThePage() {
        String runId = triggerRun();
        String lease = leaseOne("worker-1").get("leaseToken").asText();
        String legal = createToken();
        String manager = createToken();
        Http.Reply suspended = api.post(P + "/runs/" + runId + "/suspend", "{\"leaseToken\":\"" + lease
                + "\",\"step\":\"approval\",\"waitpoints\":[{\"kind\":\"token\",\"waitpointId\":\"" + legal
                + "\"},{\"kind\":\"token\",\"waitpointId\":\"" + manager + "\"}],\"timeoutSeconds\":86400}");
        assertThat(suspended.status()).as(suspended.toString()).isEqualTo(200);
        assertThat(suspended.json().get("suspended").asBoolean()).as(suspended.toString()).isTrue();

        // The runs table filters on the waiting status.
        new Select(waitFor(By.cssSelector("#filters select[name=status]"))).selectByValue("waiting");
        driver().findElement(By.cssSelector("#filters button[type=submit]")).click();
        eventually().untilAsserted(() -> assertThat(driver().findElements(
                By.cssSelector("#runs-body tr[data-run-id='" + runId + "'][data-status=waiting]"))).hasSize(1));

        driver().get(server.server.url() + "/#/scopes/" + SCOPE + "/runs/" + runId);
        eventually().untilAsserted(() -> {
            assertThat(runStatus()).isEqualTo("waiting");
            assertThat(text(By.cssSelector("#waits h2"))).isEqualTo("Waiting on");
            assertThat(text(By.id("suspension"))).contains("at step approval", "times out in 23 h, then resumes");
            assertThat(waitpointStatus(legal)).isEqualTo("pending");
            assertThat(waitpointStatus(manager)).isEqualTo("pending");
            assertThat(text(waitpoint(legal))).contains("token", legal, "a call; expires");
            assertThat(timelineTypes()).contains("run.waiting");
        });
        browser.docScreenshot("run-waiting");
        assertFitsLaptopAndPhone("run-waiting");

        // Someone else completes the first token; the page's own attempt with other data gets
        // the problem's detail, and the list then shows the token completed.
        Http.Reply elsewhere = api.post(P + "/waitpoints/" + legal + "/complete", "{\"data\":{\"by\":\"api\"}}");
        assertThat(elsewhere.status()).as(elsewhere.toString()).isEqualTo(200);
        Http.Reply conflict = api.post(P + "/waitpoints/" + legal + "/complete", "{\"data\":{\"by\":\"other\"}}");
        assertThat(conflict.status()).as(conflict.toString()).isEqualTo(409);
        String detail = conflict.json().get("detail").asText();
        completeFromPage(legal, "{\"by\":\"alice\"}");
        eventually().untilAsserted(() -> {
            assertThat(text(By.id("waitpoint-result"))).contains(detail, "waitpoint_already_completed");
            assertThat(waitpointStatus(legal)).isEqualTo("completed");
            assertThat(text(waitpoint(legal))).contains("{\"by\":\"api\"}");
            assertThat(runStatus()).isEqualTo("waiting");
        });

        // The last token, completed from the page: the run resumes and is queued again.
        completeFromPage(manager, "{\"approved\":true,\"by\":\"bob\"}");
        eventually().untilAsserted(() -> {
            assertThat(text(By.id("waitpoint-result"))).contains("Waitpoint " + manager + " completed");
            assertThat(timelineTypes()).contains("run.resumed");
            assertThat(runStatus()).isEqualTo("accepted");
            assertThat(text(By.cssSelector("#waits h2"))).isEqualTo("Waited on");
            assertThat(text(By.id("suspension"))).isEmpty();
            assertThat(waitpointStatus(manager)).isEqualTo("completed");
            assertThat(driver().findElements(By.cssSelector("#waits form.token-form"))).isEmpty();
        });
        browser.fullPageScreenshot("run-resumed");

        // The next lease carries what the page sent.
        JsonNode again = leaseOne("worker-2");
        assertThat(again.get("runId").asText()).isEqualTo(runId);
        assertThat(again.get("resumed").toString()).contains("\"approved\":true", "\"by\":\"bob\"");
    }

    @Test
    void aParentShowsItsChildrenStepsAndWaitsLiveAndChildrenLinkToParentAndRoot() {
        String parent = triggerRun();
        String lease = leaseOne("worker-1").get("leaseToken").asText();
        String first = child(parent, lease, "fan-out/1");
        String second = child(parent, lease, "fan-out/2");
        recordStep(parent, lease, "search", "{\"hits\":3}");

        driver().get(server.server.url() + "/#/scopes/" + SCOPE + "/runs/" + parent);
        eventually().untilAsserted(() -> {
            assertThat(runStatus()).isEqualTo("running");
            assertThat(childIds()).containsExactlyInAnyOrder(first, second);
            assertThat(childStatus(first)).isEqualTo("accepted");
            assertThat(stepNames()).containsExactly("search");
            assertThat(text(By.cssSelector("#steps li[data-step='search']"))).contains("attempt 1", "{\"hits\":3}");
        });

        // A step recorded while the page is open appears.
        recordStep(parent, lease, "summarize", "{\"text\":\"three hits\"}");
        eventually().untilAsserted(() -> assertThat(stepNames()).containsExactly("search", "summarize"));

        // The parent waits on one child and on an hour; the page shows both. When the child
        // ends, its waitpoint completes (no event in the parent's ledger) and the page shows it.
        JsonNode childLease = leaseOne("worker-2");
        String settled = childLease.get("runId").asText();
        Http.Reply suspended = api.post(P + "/runs/" + parent + "/suspend", "{\"leaseToken\":\"" + lease
                + "\",\"step\":\"join\",\"waitpoints\":[{\"kind\":\"run\",\"runId\":\"" + settled
                + "\"},{\"kind\":\"duration\",\"seconds\":3600}]}");
        assertThat(suspended.status()).as(suspended.toString()).isEqualTo(200);
        eventually().untilAsserted(() -> {
            assertThat(runStatus()).isEqualTo("waiting");
            assertThat(text(By.id("suspension"))).contains("at step join");
            assertThat(waitpointOfKind("run").getDomAttribute("data-status")).isEqualTo("pending");
            assertThat(waitpointOfKind("run").findElement(By.cssSelector(".target a")).getText()).isEqualTo(settled);
            assertThat(waitpointOfKind("duration").getDomAttribute("data-status")).isEqualTo("pending");
            assertThat(text(waitpointOfKind("duration"))).contains("a timer, due in 59 min", " UTC");
        });
        Http.Reply done = api.post(P + "/runs/" + settled + "/complete",
                "{\"leaseToken\":\"" + childLease.get("leaseToken").asText() + "\",\"output\":{\"ok\":true}}");
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        eventually().untilAsserted(() -> {
            assertThat(childStatus(settled)).isEqualTo("succeeded");
            assertThat(waitpointOfKind("run").getDomAttribute("data-status")).isEqualTo("completed");
            assertThat(text(waitpointOfKind("run"))).contains("succeeded");
            assertThat(waitpointOfKind("duration").getDomAttribute("data-status")).isEqualTo("pending");
            assertThat(runStatus()).isEqualTo("waiting");
        });
        browser.fullPageScreenshot("run-children-steps");
        assertFitsLaptopAndPhone("run-children-steps");

        // A child's page links back to its parent.
        driver().findElement(By.cssSelector("#children li[data-run-id='" + first + "'] a")).click();
        eventually().untilAsserted(() -> {
            assertThat(text(By.id("run-id"))).isEqualTo(first);
            assertThat(text(By.id("parent-run"))).isEqualTo(parent);
        });
        driver().findElement(By.id("parent-run")).click();
        eventually().untilAsserted(() -> assertThat(text(By.id("run-id"))).isEqualTo(parent));

        // A grandchild links to its parent and to the root of its tree.
        String other = settled.equals(first) ? second : first;
        JsonNode otherLease = leaseOne("worker-3");
        assertThat(otherLease.get("runId").asText()).isEqualTo(other);
        String grandchild = child(other, otherLease.get("leaseToken").asText(), "deeper");
        driver().get(server.server.url() + "/#/scopes/" + SCOPE + "/runs/" + grandchild);
        eventually().untilAsserted(() -> {
            assertThat(text(By.id("run-id"))).isEqualTo(grandchild);
            assertThat(text(By.id("parent-run"))).isEqualTo(other);
            assertThat(text(By.id("root-run"))).isEqualTo(parent);
        });
        driver().findElement(By.id("root-run")).click();
        eventually().untilAsserted(() -> assertThat(text(By.id("run-id"))).isEqualTo(parent));
    }

    @Test
    void replayStartsANewRunAndOpensItsPageWhichLinksToTheOriginal() {
        Http.Reply r = trigger("{\"input\":{\"q\":\"replay me\"}}");
        String original = r.json().get("runId").asText();
        JsonNode lease = leaseOne("worker-1");
        Http.Reply done = api.post(P + "/runs/" + original + "/complete",
                "{\"leaseToken\":\"" + lease.get("leaseToken").asText() + "\",\"output\":{\"ok\":true}}");
        assertThat(done.status()).as(done.toString()).isEqualTo(200);

        driver().get(server.server.url() + "/#/scopes/" + SCOPE + "/runs/" + original);
        WebElement replay = waitFor(By.id("replay-run"));
        eventually().untilAsserted(() -> assertThat(runStatus()).isEqualTo("succeeded"));
        replay.click();

        eventually().untilAsserted(() -> {
            assertThat(text(By.id("run-id"))).isNotEqualTo(original);
            assertThat(text(By.id("replay-of"))).isEqualTo(original);
            assertThat(runStatus()).isEqualTo("accepted");
        });
        String copy = text(By.id("run-id"));
        assertThat(driver().getCurrentUrl()).endsWith("#/scopes/acme/runs/" + copy);
        assertThat(run(copy).get("input").toString()).contains("replay me");
        driver().findElement(By.id("replay-of")).click();
        eventually().untilAsserted(() -> assertThat(text(By.id("run-id"))).isEqualTo(original));
    }

    // --- the browser ---

    private static WebElement waitpoint(String waitpointId) {
        return driver().findElement(By.cssSelector("#waitpoints li[data-waitpoint-id='" + waitpointId + "']"));
    }

    private static String waitpointStatus(String waitpointId) {
        return waitpoint(waitpointId).getDomAttribute("data-status");
    }

    private static WebElement waitpointOfKind(String kind) {
        return driver().findElement(By.cssSelector("#waitpoints li[data-kind='" + kind + "']"));
    }

    private static void completeFromPage(String waitpointId, String json) {
        WebElement form = waitFor(By.cssSelector("#waitpoints form[data-waitpoint-id='" + waitpointId + "']"));
        WebElement data = form.findElement(By.name("data"));
        data.clear();
        data.sendKeys(json);
        form.findElement(By.cssSelector("button[type=submit]")).click();
    }

    private static String childStatus(String runId) {
        return driver().findElement(By.cssSelector("#children li[data-run-id='" + runId + "']"))
                .getDomAttribute("data-status");
    }

    @SuppressWarnings("unchecked")
    private static List<String> childIds() {
        return (List<String>) driver().executeScript(
                "return [...document.querySelectorAll('#children li[data-run-id]')].map(li => li.dataset.runId)");
    }

    @SuppressWarnings("unchecked")
    private static List<String> stepNames() {
        return (List<String>) driver().executeScript(
                "return [...document.querySelectorAll('#steps li[data-step]')].map(li => li.dataset.step)");
    }

    // --- the server side: a scope key and a worker speaking the HTTP worker API ---

    private static String createToken() {
        Http.Reply r = api.post(P + "/waitpoints", "{\"timeoutSeconds\":86400}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("waitpointId").asText();
    }

    private static String child(String parent, String lease, String step) {
        Http.Reply r = api.post(P + "/runs/" + parent + "/children", "{\"leaseToken\":\"" + lease + "\",\"step\":\""
                + step + "\",\"service\":\"" + SERVICE + "\",\"input\":{\"part\":\"" + step + "\"}}");
        assertThat(r.status()).as(r.toString()).isBetween(200, 202);
        return r.json().get("runId").asText();
    }

    private static void recordStep(String runId, String lease, String step, String output) {
        Http.Reply r = api.post(P + "/runs/" + runId + "/steps/" + step,
                "{\"leaseToken\":\"" + lease + "\",\"output\":" + output + "}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }
}

package io.runledger.server.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Observe in a real headless Chromium against the real server: one browser per test class
 * (skipped when Chromium is not installed), a screenshot of any failure, and what every
 * page's test needs: signing in, waiting for the page, reading it, checking it fits a phone.
 */
abstract class ObserveBrowserBase extends ServerTestBase {
    protected static Browser browser;

    @RegisterExtension
    static final Browser.ScreenshotOnFailure SCREENSHOT_ON_FAILURE = new Browser.ScreenshotOnFailure(() -> browser);

    @BeforeAll
    static void startBrowser() {
        if (Browser.installed()) {
            browser = Browser.start();
        }
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    /** Observe's sign-in page with nothing in this tab's session. */
    protected static void openSignedOut() {
        assumeTrue(browser != null, Browser.MISSING);
        driver().get(server.server.url() + "/");
        driver().executeScript("sessionStorage.clear()");
        driver().navigate().refresh();
    }

    /** Signed in with a new key of the scope, on its runs page. */
    protected static void openSignedIn() {
        openSignedOut();
        signIn(scopeKey(), SCOPE);
        fromLandingToRuns();
    }

    /** From the landing page a sign-in leads to, on to the runs page by its tab. */
    protected static void fromLandingToRuns() {
        awaitLanding();
        waitFor(By.id("nav-runs")).click();
        eventually().until(() -> driver().getCurrentUrl().endsWith("#/scopes/" + SCOPE + "/runs"));
    }

    /** After signing in: the scope's landing page, its overview. */
    protected static void awaitLanding() {
        eventually().until(() -> driver().getCurrentUrl().endsWith("#/scopes/" + SCOPE + "/overview"));
    }

    protected static void signIn(String key, String scope) {
        waitFor(By.id("signin-key")).sendKeys(key);
        WebElement scopeInput = driver().findElement(By.id("signin-scope"));
        scopeInput.clear();
        scopeInput.sendKeys(scope);
        driver().findElement(By.id("signin-submit")).click();
    }

    protected static ChromeDriver driver() {
        return browser.driver;
    }

    protected static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).ignoreExceptions();
    }

    protected static WebElement waitFor(By by) {
        return eventually().until(() -> driver().findElement(by), e -> e.isDisplayed());
    }

    protected static String text(By by) {
        return driver().findElement(by).getText();
    }

    protected static String text(WebElement element) {
        return element.getText();
    }

    protected static String runStatus() {
        return driver().findElement(By.cssSelector("#run-status .badge")).getDomAttribute("data-status");
    }

    @SuppressWarnings("unchecked")
    protected static List<String> timelineTypes() {
        return (List<String>) driver().executeScript(
                "return [...document.querySelectorAll('#timeline li.event')].map(li => li.dataset.type)");
    }

    /** Neither on the laptop nor at a phone's width (390 px) does the page scroll sideways; saves *-phone.png. */
    protected static void assertFitsLaptopAndPhone(String name) {
        assertThat(driver().executeScript("return document.documentElement.scrollWidth <= window.innerWidth"))
                .as("no sideways scrolling at laptop width").isEqualTo(true);
        Dimension laptop = driver().manage().window().getSize();
        driver().manage().window().setSize(new Dimension(390, 844));
        try {
            eventually().untilAsserted(() -> assertThat(driver().executeScript(
                    "return document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true));
            browser.fullPageScreenshot(name + "-phone");
        } finally {
            driver().manage().window().setSize(laptop);
        }
    }

    /** A new key of the test scope. */
    protected static String scopeKey() {
        Http.Reply r = api.post("/v1/scopes/" + SCOPE + "/keys", null);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("key").asText();
    }

    /** The run page's stream indicator (its data-state). */
    protected static String streamState() {
        return driver().findElement(By.id("stream-state")).getDomAttribute("data-state");
    }

    /** The seqs of the events on the run page's timeline, in order. */
    @SuppressWarnings("unchecked")
    protected static List<Long> timelineSeqs() {
        return (List<Long>) driver().executeScript(
                "return [...document.querySelectorAll('#timeline li.event')].map(li => Number(li.dataset.seq))");
    }

    /** 1 to {@code last}. */
    protected static List<Long> seqs(long last) {
        return LongStream.rangeClosed(1, last).boxed().toList();
    }

    /** Appends worker events (JSON objects) to a leased run through the HTTP worker API. */
    protected static void append(String runId, String leaseToken, String... events) {
        Http.Reply r = api.post(P + "/runs/" + runId + "/events",
                "{\"leaseToken\":\"" + leaseToken + "\",\"events\":[" + String.join(",", events) + "]}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    /** Completes a leased run with {@code output} (JSON) through the HTTP worker API. */
    protected static void complete(String runId, String leaseToken, String output) {
        Http.Reply r = api.post(P + "/runs/" + runId + "/complete",
                "{\"leaseToken\":\"" + leaseToken + "\",\"output\":" + output + "}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }
}

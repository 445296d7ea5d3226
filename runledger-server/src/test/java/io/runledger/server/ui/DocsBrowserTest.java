package io.runledger.server.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The API reference in a real Chromium: Swagger UI renders the server's own document. */
class DocsBrowserTest extends ObserveBrowserBase {

    @Test
    void theReferenceRendersTheOperationsOfTheDocument() {
        assumeTrue(browser != null, Browser.MISSING);
        driver().get(server.server.url() + "/docs");
        WebElement trigger = waitFor(By.id("operations-runs-triggerRun"));
        assertThat(trigger.getText()).contains("POST", "/v1/scopes/{scope}/services/{service}/runs",
                "Trigger a run");
        assertThat(text(By.cssSelector(".info .title"))).contains("RunLedger HTTP API");
        List<WebElement> operations = driver().findElements(By.cssSelector(".opblock"));
        assertThat(operations).hasSizeGreaterThan(50);
        trigger.findElement(By.cssSelector(".opblock-summary-control")).click();
        WebElement expanded = waitFor(By.cssSelector("#operations-runs-triggerRun .responses-table"));
        assertThat(expanded.getText()).contains("202", "409", "422");
        browser.fullPageScreenshot("docs");
    }
}

package io.runledger.server.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through its chromedriver. Both binaries are named
 * explicitly, so Selenium Manager never looks for (or downloads) anything; without them the
 * browser tests are skipped with an assumption.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** Per test JVM: the suite runs in two JVMs at once, and downloads must not meet. */
    static final Path DOWNLOADS = Path.of("target", "browser-downloads-" + ProcessHandle.current().pid())
            .toAbsolutePath();

    final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static final String MISSING = "browser test skipped: it needs Chromium at " + CHROMIUM + " and chromedriver at "
            + CHROMEDRIVER + " (apt-get install -y chromium chromium-driver)";

    /** Whether Debian's Chromium and its chromedriver are installed. */
    static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** Starts Chromium at a laptop's window size; see {@link #installed()}. */
    static Browser start() {
        try {
            Path profile = Files.createTempDirectory("runledger-chromium-");
            Files.createDirectories(DOWNLOADS);
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
                    "--window-size=1360,900", "--user-data-dir=" + profile);
            options.setExperimentalOption("prefs", Map.of(
                    "download.default_directory", DOWNLOADS.toString(),
                    "download.prompt_for_download", false));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort()
                    .build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
            return new Browser(driver, profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Saves a PNG of the page as it is now under target/screenshots. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A screenshot for the project's docs: saved like {@link #fullPageScreenshot}, and also
     * copied into the directory the system property {@code runledger.screenshots} names (the
     * README's images are refreshed by running the browser tests with it set).
     */
    Path docScreenshot(String name) {
        Path file = fullPageScreenshot(name);
        String docs = System.getProperty("runledger.screenshots", "");
        if (!docs.isBlank()) {
            try {
                Files.createDirectories(Path.of(docs));
                Files.copy(file, Path.of(docs).resolve(file.getFileName()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file;
    }

    /** Shows the pages in the dark theme (true) or the light one, as the OS setting would. */
    void colorScheme(boolean dark) {
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                java.util.List.of(Map.of("name", "prefers-color-scheme", "value", dark ? "dark" : "light"))));
    }

    /** Like {@link #screenshot} but with the window as tall as the page, up to 2000 px. */
    Path fullPageScreenshot(String name) {
        Dimension size = driver.manage().window().getSize();
        Number height = (Number) driver.executeScript("return document.documentElement.scrollHeight");
        int chrome = size.getHeight() - ((Number) driver.executeScript("return window.innerHeight")).intValue();
        driver.manage().window().setSize(new Dimension(size.getWidth(), Math.min(2000, height.intValue() + chrome)));
        try {
            return screenshot(name);
        } finally {
            driver.manage().window().setSize(size);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }

    /** Saves a screenshot of the page under target/screenshots/failed-* when a test fails. */
    static final class ScreenshotOnFailure implements TestWatcher {
        private final Supplier<Browser> browser;

        ScreenshotOnFailure(Supplier<Browser> browser) {
            this.browser = browser;
        }

        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            Browser b = browser.get();
            if (b == null) {
                return;
            }
            try {
                Path file = b.screenshot("failed-" + context.getRequiredTestMethod().getName());
                System.err.println("screenshot of the failed test: " + file.toAbsolutePath());
            } catch (RuntimeException e) {
                System.err.println("no screenshot of the failed test: " + e);
            }
        }
    }
}

package io.runledger.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** How the web UI's files are served (no browser needed). */
class ObserveRoutesTest extends ServerTestBase {
    private static final Pattern REFERENCE =
            Pattern.compile("(?:from '\\./|src=\"/observe/|href=\"/observe/)([\\w.-]+)['\"]");

    private final Http anonymous = api.withKey(null);

    @Test
    void thePageAndEveryFileAreServedWithoutAKeyAndWithTheirTypes() {
        Http.Reply page = anonymous.get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.response().body()).contains("<script type=\"module\" src=\"/observe/app.js\"></script>");
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'");
        assertThat(page.header("Cache-Control")).isEqualTo("no-cache");

        for (String file : served()) {
            Http.Reply r = anonymous.get("/observe/" + file);
            assertThat(r.status()).as(file).isEqualTo(200);
            String type = file.endsWith(".js") ? "text/javascript" : file.endsWith(".css") ? "text/css" : "text/html";
            assertThat(r.contentType()).as(file).startsWith(type);
            assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        }
    }

    @Test
    void everyModuleTheUiImportsIsServed() {
        int references = 0;
        for (String file : ObserveRoutes.FILES) {
            String body = anonymous.get("/observe/" + file).response().body();
            // import ... from './x.js' and <script src="/observe/x.js">: x.js must be served.
            Matcher m = REFERENCE.matcher(body);
            while (m.find()) {
                assertThat(served()).as(file + " refers to " + m.group(1)).contains(m.group(1));
                references++;
            }
        }
        assertThat(references).as("imports found").isGreaterThanOrEqualTo(ObserveRoutes.FILES.size());
    }

    @Test
    void theChartLibraryIsServedFromItsWebJar() {
        Http.Reply r = anonymous.get("/observe/chart.umd.min.js");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/javascript");
        assertThat(r.response().body()).startsWith("/*!\n * Chart.js v4.").contains("MIT License");
        assertThat(anonymous.get("/").response().body())
                .as("loaded by the page before its modules").contains("src=\"/observe/chart.umd.min.js\"");
    }

    private static java.util.List<String> served() {
        return java.util.stream.Stream.concat(ObserveRoutes.FILES.stream(), ObserveRoutes.VENDOR.keySet().stream())
                .toList();
    }

    @Test
    void anUnchangedFileIsNotSentAgain() {
        Http.Reply first = anonymous.get("/observe/app.js");
        String etag = first.header("ETag");
        assertThat(etag).isNotBlank();
        Http.Reply again = anonymous.send("GET", "/observe/app.js", null, Map.of("If-None-Match", etag));
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.response().body()).isEmpty();
    }

    @Test
    void noOtherClasspathResourceIsReachable() {
        for (String path : new String[] {"/observe/logback.xml", "/observe/..%2Flogback.xml", "/observe/",
                "/observe/Main.class"}) {
            Http.Reply r = anonymous.get(path);
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.contentType()).as(path).startsWith("application/problem+json");
        }
    }
}

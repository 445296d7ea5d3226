package io.runledger.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import org.junit.jupiter.api.Test;

/** {@code GET /docs}: the API reference's page and files, served without a key from the jar. */
class DocsRoutesTest extends ServerTestBase {

    @Test
    void thePageAndItsFilesLoadWithoutAKeyUnderAStrictPolicy() {
        Http anyone = api.withKey(null);
        Http.Reply page = anyone.get("/docs");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.response().body()).contains("/docs/swagger-ui-bundle.js", "/docs/docs.js",
                "/docs/swagger-ui.css");
        String csp = page.header("Content-Security-Policy");
        assertThat(csp).contains("default-src 'none'", "script-src 'self'", "connect-src 'self'",
                "frame-ancestors 'none'").doesNotContain("unsafe-eval", "http:", "https:");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");

        Http.Reply bundle = anyone.get("/docs/swagger-ui-bundle.js");
        assertThat(bundle.status()).isEqualTo(200);
        assertThat(bundle.header("Content-Type")).startsWith("text/javascript");
        assertThat(bundle.response().body()).contains("SwaggerUIBundle").hasSizeGreaterThan(500_000);
        Http.Reply css = anyone.get("/docs/swagger-ui.css");
        assertThat(css.status()).isEqualTo(200);
        assertThat(css.header("Content-Type")).startsWith("text/css");
        Http.Reply start = anyone.get("/docs/docs.js");
        assertThat(start.status()).isEqualTo(200);
        assertThat(start.response().body()).contains("url: '/openapi.json'", "validatorUrl: null");
        assertThat(anyone.get("/docs/favicon-32x32.png").header("Content-Type")).isEqualTo("image/png");
        assertThat(anyone.get("/openapi.json").status()).as("the document it reads is public too").isEqualTo(200);
    }

    @Test
    void nothingElseOfTheClasspathIsServed() {
        Http anyone = api.withKey(null);
        for (String file : new String[] {"index.html", "swagger-initializer.js", "..%2Fdocs.js", "logback.xml",
                "swagger-ui.js"}) {
            Http.Reply r = anyone.get("/docs/" + file);
            assertThat(r.status()).as(file).isEqualTo(404);
            assertThat(r.header("Content-Type")).as(file).startsWith("application/problem+json");
        }
    }
}

package io.runledger.server.ops;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.server.http.HttpProblem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code GET /docs}: the API reference, Swagger UI (from its WebJar, inside the server's jar)
 * rendering {@code /openapi.json}. Public, like the document. Only the files listed are
 * served, read from the classpath on first use; nothing is fetched from elsewhere, and the
 * page's Content-Security-Policy would refuse it.
 */
public final class DocsRoutes {
    public static final String PAGE = "/docs";
    public static final String ASSET = "/docs/{file}";
    /** Every route this class registers (not API operations, so not in /openapi.json). */
    public static final List<String> PATHS = List.of(PAGE, ASSET);

    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    private static final String WEBJAR_VERSION = "META-INF/maven/org.webjars/swagger-ui/pom.properties";
    /** Our page and its start script; the rest is Swagger UI's. */
    private static final Map<String, String> OWN = Map.of("index.html", "docs/index.html", "docs.js", "docs/docs.js");
    private static final List<String> SWAGGER_UI = List.of("swagger-ui.css", "swagger-ui-bundle.js",
            "favicon-32x32.png");
    // Swagger UI sets inline style attributes (React), hence 'unsafe-inline' for styles only;
    // its scripts, and the document it reads, come from this origin alone.
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; "
            + "form-action 'none'; frame-ancestors 'none'";

    private volatile Map<String, Asset> assets;

    record Asset(byte[] bytes, String contentType) {
    }

    public void register(RoutesConfig routes) {
        routes.get(PAGE, ctx -> send(ctx, assets().get("index.html")));
        routes.get(ASSET, ctx -> {
            Asset asset = assets().get(ctx.pathParam("file"));
            if (asset == null || ctx.pathParam("file").equals("index.html")) {
                throw new HttpProblem(404, "not_found", "no such file of the API reference: " + ctx.pathParam("file"));
            }
            send(ctx, asset);
        });
    }

    private static void send(Context ctx, Asset asset) {
        // The files change only with the server's version; a day's cache spares the 1.7 MB bundle.
        ctx.header("Cache-Control", "public, max-age=86400");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Content-Security-Policy", CSP);
        ctx.contentType(asset.contentType()).result(asset.bytes());
    }

    /** Read once, on first use: servers that never show the reference never hold its 2 MB. */
    private Map<String, Asset> assets() {
        Map<String, Asset> loaded = assets;
        if (loaded == null) {
            synchronized (this) {
                if (assets == null) {
                    String dir = WEBJAR + version() + "/";
                    Map<String, Asset> all = new java.util.HashMap<>();
                    OWN.forEach((file, resource) -> all.put(file, load(resource, file)));
                    SWAGGER_UI.forEach(file -> all.put(file, load(dir + file, file)));
                    assets = Map.copyOf(all);
                }
                loaded = assets;
            }
        }
        return loaded;
    }

    private static String version() {
        Properties p = new Properties();
        try (InputStream in = resource(WEBJAR_VERSION)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + WEBJAR_VERSION, e);
        }
        return p.getProperty("version");
    }

    private static Asset load(String resource, String file) {
        try (InputStream in = resource(resource)) {
            return new Asset(in.readAllBytes(), contentType(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = DocsRoutes.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("the API reference's file " + name + " is missing from the classpath");
        }
        return in;
    }

    private static String contentType(String file) {
        if (file.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (file.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (file.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (file.endsWith(".png")) {
            return "image/png";
        }
        throw new IllegalArgumentException("no content type for " + file);
    }
}

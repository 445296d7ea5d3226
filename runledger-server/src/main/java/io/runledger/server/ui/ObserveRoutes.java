package io.runledger.server.ui;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.server.http.HttpProblem;
import io.runledger.server.http.StaticFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves Observe, the web UI: {@code GET /} is its page, {@code GET /observe/{file}} its
 * scripts and styles, all read once from the classpath ({@code observe/} in the jar). There
 * is no front-end build step; the files are plain ES modules and CSS.
 *
 * <p>Only the files listed in {@link #FILES} and {@link #VENDOR} are served, so no request can reach any other
 * classpath resource. Every answer is {@code no-cache} with an ETag: a reload always gets the
 * UI that matches the running server, at the cost of a 304 per file. The UI holds no data of
 * its own; it reads everything from the API with the key the user signs in with.
 */
public final class ObserveRoutes {
    /** The UI's page. */
    public static final String INDEX = "/";
    /** The UI's scripts and styles. */
    public static final String ASSET = "/observe/{file}";
    /** Every route this class registers (they are not API operations, so not in /openapi.json). */
    public static final List<String> PATHS = List.of(INDEX, ASSET);

    static final String RESOURCE_DIR = "observe/";
    static final List<String> FILES = List.of(
            "index.html", "style.css", "app.js", "api.js", "dom.js", "sse.js", "signin.js", "runs.js", "run.js",
            "ledger.js", "routes.js", "run-view.js", "waits.js", "children.js", "steps.js", "nav.js", "services.js",
            "poll.js", "bulk.js", "charts.js", "overview.js", "timeline-model.js", "timeline-chart.js", "workers.js",
            "webhooks.js", "deliveries.js");
    /**
     * Libraries the UI loads, served under {@code /observe/} from their WebJars in the jar:
     * the file name the page asks for, and the WebJar (its Maven coordinates' properties give
     * the version directory) and path inside it.
     */
    static final Map<String, WebJarFile> VENDOR = Map.of(
            "chart.umd.min.js", new WebJarFile("org.webjars.npm", "chart.js", "dist/chart.umd.min.js"));

    /** A file inside a WebJar on the classpath. */
    record WebJarFile(String groupId, String artifactId, String path) {
        String resource() {
            String properties = "META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
            java.util.Properties p = new java.util.Properties();
            try (InputStream in = ObserveRoutes.class.getClassLoader().getResourceAsStream(properties)) {
                if (in == null) {
                    throw new IllegalStateException("the WebJar " + artifactId + " is missing from the classpath");
                }
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + properties, e);
            }
            return "META-INF/resources/webjars/" + artifactId + "/" + p.getProperty("version") + "/" + path;
        }
    }

    // Scripts, styles and fetches come from this origin only; nothing is inlined, so no
    // data the UI shows can ever run as code.
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    private final Map<String, Asset> assets;

    /** One file, loaded at start. */
    record Asset(byte[] bytes, String contentType, String etag) {
    }

    public ObserveRoutes() {
        Map<String, Asset> loaded = new LinkedHashMap<>();
        for (String file : FILES) {
            loaded.put(file, load(file, RESOURCE_DIR + file));
        }
        VENDOR.forEach((file, jar) -> loaded.put(file, load(file, jar.resource())));
        this.assets = Map.copyOf(loaded);
    }

    public void register(RoutesConfig routes) {
        routes.get(INDEX, ctx -> send(ctx, assets.get("index.html")));
        routes.get(ASSET, this::asset);
    }

    private void asset(Context ctx) {
        Asset asset = assets.get(ctx.pathParam("file"));
        if (asset == null) {
            throw new HttpProblem(404, "not_found", "no such file of the web UI: " + ctx.pathParam("file"));
        }
        send(ctx, asset);
    }

    private static void send(Context ctx, Asset asset) {
        ctx.header("Cache-Control", "no-cache");
        ctx.header("ETag", asset.etag());
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Content-Security-Policy", CSP);
        if (asset.etag().equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.contentType(asset.contentType()).result(asset.bytes());
    }

    private static Asset load(String file, String resource) {
        try (InputStream in = ObserveRoutes.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the web UI file " + resource + " is missing from the classpath");
            }
            byte[] bytes = in.readAllBytes();
            return new Asset(bytes, StaticFiles.contentType(file), "\"" + sha256(bytes).substring(0, 32) + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}

package io.runledger.server.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's own {@code /openapi.json} through the tools client authors use, pinned in
 * {@code src/test/openapi-tools} (package.json and its package-lock.json): Redocly's and
 * Spectral's linters find no error, and the TypeScript types openapi-typescript generates
 * from it type a small client ({@code typed-client.ts}) strictly enough that {@code tsc
 * --strict} accepts it and rejects what it must. The npm packages are installed into
 * {@code target/openapi-tools} and reused while the lock file is unchanged. Without Node.js
 * and npm the test is skipped, except on CI ({@code CI=true}), where it must run.
 */
class OpenApiToolsTest extends ServerTestBase {
    private static final Path TOOLS = Path.of("src", "test", "openapi-tools");
    private static final Path INSTALL = Path.of("target", "openapi-tools").toAbsolutePath();
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(8);
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(3);

    @Test
    void lintersFindNoErrorAndTheGeneratedTypesTypeAClient(@TempDir Path dir) throws Exception {
        requireNode();
        installTools();
        Http.Reply doc = api.get("/openapi.json");
        assertThat(doc.status()).isEqualTo(200);
        Path spec = dir.resolve("openapi.json");
        Files.writeString(spec, doc.response().body());

        Result redocly = run(dir, TOOL_TIMEOUT, bin("redocly"), "lint", spec.toString(), "--format=json");
        JsonNode redoclyReport = Http.JSON.readTree(jsonPart(redocly.output()));
        for (JsonNode p : redoclyReport.get("problems")) {
            System.out.println("redocly " + p.get("severity").asText() + " " + p.get("ruleId").asText() + ": "
                    + p.get("message").asText() + " at " + p.get("location").get(0).get("pointer").asText());
        }
        assertThat(redoclyReport.get("totals").get("errors").asInt()).as("redocly errors: %s", redocly.output())
                .isZero();
        assertThat(redocly.exit()).as(redocly.errors()).isZero();

        Files.copy(TOOLS.resolve(".spectral.yaml"), dir.resolve(".spectral.yaml"));
        Result spectral = run(dir, TOOL_TIMEOUT, bin("spectral"), "lint", spec.toString(), "--ruleset",
                dir.resolve(".spectral.yaml").toString(), "--format", "json", "--quiet");
        JsonNode spectralReport = Http.JSON.readTree(jsonPart(spectral.output()));
        List<String> errors = new ArrayList<>();
        for (JsonNode p : spectralReport) {
            String line = p.get("code").asText() + ": " + p.get("message").asText() + " at "
                    + String.join(".", toStrings(p.get("path")));
            System.out.println("spectral " + (p.get("severity").asInt() == 0 ? "error" : "warning") + " " + line);
            if (p.get("severity").asInt() == 0) {
                errors.add(line);
            }
        }
        assertThat(errors).as("spectral errors").isEmpty();
        assertThat(spectral.exit()).as(spectral.errors()).isZero();

        Result types = run(dir, TOOL_TIMEOUT, bin("openapi-typescript"), spec.toString(), "-o",
                dir.resolve("api.d.ts").toString());
        assertThat(types.exit()).as(types.output() + types.errors()).isZero();
        String generated = Files.readString(dir.resolve("api.d.ts"));
        assertThat(generated).contains("RunStatus: \"accepted\" | \"scheduled\" | \"running\" | \"waiting\" |"
                + " \"succeeded\" | \"failed\" | \"cancelled\" | \"expired\";");

        Files.copy(TOOLS.resolve("typed-client.ts"), dir.resolve("typed-client.ts"));
        Result tsc = run(dir, TOOL_TIMEOUT, bin("tsc"), "--strict", "--noEmit", "--target", "es2022", "--lib",
                "es2022,dom", "--module", "esnext", "--moduleResolution", "bundler", "typed-client.ts");
        assertThat(tsc.exit()).as("tsc --strict on typed-client.ts: %s%s", tsc.output(), tsc.errors()).isZero();
    }

    private static void requireNode() {
        boolean present = onPath("node") && onPath("npm");
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI must run the OpenAPI tools: install Node.js and npm (Debian packages nodejs and npm)");
        }
        assumeTrue(present, "OpenAPI tools test skipped: Node.js and npm are not installed");
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** {@code npm ci} into target/openapi-tools, unless the same lock file was installed there before. */
    private static void installTools() throws Exception {
        Files.createDirectories(INSTALL);
        byte[] lock = Files.readAllBytes(TOOLS.resolve("package-lock.json"));
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(lock));
        Path stamp = INSTALL.resolve(".installed-lock-sha256");
        if (Files.exists(stamp) && Files.readString(stamp).equals(hash)
                && Files.isDirectory(INSTALL.resolve("node_modules"))) {
            System.out.println("OpenAPI tools: reusing " + INSTALL.resolve("node_modules"));
            return;
        }
        Files.deleteIfExists(stamp);
        Files.copy(TOOLS.resolve("package.json"), INSTALL.resolve("package.json"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.write(INSTALL.resolve("package-lock.json"), lock);
        long start = System.nanoTime();
        Result ci = run(INSTALL, INSTALL_TIMEOUT, "npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts");
        System.out.printf("OpenAPI tools: npm ci took %.1f s%n", (System.nanoTime() - start) / 1e9);
        assertThat(ci.exit()).as("npm ci: %s%s", ci.output(), ci.errors()).isZero();
        Files.writeString(stamp, hash);
    }

    private static String bin(String tool) {
        return INSTALL.resolve("node_modules").resolve(".bin").resolve(tool).toString();
    }

    /** How a tool ended: its exit code, what it printed on stdout (its report) and on stderr. */
    record Result(int exit, String output, String errors) {
    }

    private static Result run(Path dir, Duration timeout, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        // No telemetry or update checks: the tools must not reach for anything but their input.
        pb.environment().put("REDOCLY_TELEMETRY", "off");
        pb.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
        pb.environment().put("NO_UPDATE_NOTIFIER", "1");
        pb.environment().put("NPM_CONFIG_UPDATE_NOTIFIER", "false");
        Path out = Files.createTempFile("openapi-tool-", ".out");
        Path err = Files.createTempFile("openapi-tool-", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within " + timeout + ": "
                        + Files.readString(out, StandardCharsets.UTF_8) + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The JSON report in a tool's output, without the banners some print around it. */
    private static String jsonPart(String output) {
        int object = output.indexOf('{');
        int array = output.indexOf('[');
        int start = object < 0 ? array : array < 0 ? object : Math.min(object, array);
        int end = Math.max(output.lastIndexOf('}'), output.lastIndexOf(']'));
        assertThat(start).as("a JSON report in: %s", output).isGreaterThanOrEqualTo(0);
        return output.substring(start, end + 1);
    }

    private static List<String> toStrings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}

package io.runledger.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Prometheus's own checker (Debian's package {@code prometheus}), run for real. Without it a
 * test is skipped on a developer's machine, and fails in CI ({@code CI=true}), where .ci/run
 * installs it.
 */
public final class Promtool {
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    private Promtool() {
    }

    /** What promtool printed and how it exited. */
    public record Result(int exitCode, String output) {
    }

    /** Skips the test (or fails it in CI) unless promtool is installed. */
    public static void require() {
        if (Files.isExecutable(PROMTOOL)) {
            return;
        }
        String why = PROMTOOL + " is not installed (Debian package prometheus; .ci/run installs it)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(why);
        }
        Assumptions.abort(why);
    }

    /** {@code promtool check metrics} on a scrape: exit 0 and no lint finding. */
    public static void assertMetricsPass(String exposition) {
        require();
        Result r = run(exposition, "check", "metrics");
        assertThat(r.exitCode()).as("promtool check metrics said: %s", r.output()).isZero();
        assertThat(r.output()).as("promtool lint findings").isBlank();
    }

    /** Runs promtool with the arguments, {@code stdin} (may be null) as its input. */
    public static Result run(String stdin, String... args) {
        require();
        List<String> command = new ArrayList<>();
        command.add(PROMTOOL.toString());
        command.addAll(List.of(args));
        try {
            Path in = Files.createTempFile("promtool", ".txt");
            try {
                Files.writeString(in, stdin == null ? "" : stdin);
                Process p = new ProcessBuilder(command).redirectInput(in.toFile()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
                return new Result(p.exitValue(), out);
            } finally {
                Files.deleteIfExists(in);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

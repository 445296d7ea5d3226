package io.runledger.server.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test in its own JVM ({@code java -Xmx... -jar <this jar> serve}) over an
 * embedded PostgreSQL in a temporary directory, so that its heap and RSS are its own and not
 * the load generator's. Closing it stops it the way an operator would (SIGTERM: graceful).
 */
final class BenchServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("RunLedger listening on (http://\\S+)");
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Process process;
    private final Path log;
    private final String url;
    private final String key;

    private BenchServerProcess(Process process, Path log, String url, String key) {
        this.process = process;
        this.log = log;
        this.url = url;
        this.key = key;
    }

    /** Starts {@code serve} with {@code jvmOptions} before it and {@code serveArgs} after it; waits until it listens. */
    static BenchServerProcess start(Path dir, List<String> jvmOptions, List<String> serveArgs) throws IOException,
            InterruptedException {
        String key = "rlk_bench_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        Path keyFile = dir.resolve("bench-admin.key");
        Files.writeString(keyFile, key, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        List<String> command = new ArrayList<>(List.of(javaBinary("java")));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", ownJar(), "serve", "--port", "0", "--data-dir", dir.resolve("data").toString(),
                "--admin-key-file", keyFile.toString()));
        command.addAll(serveArgs);
        Path log = dir.resolve("server.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("RUNLEDGER_"));
        Process process = builder.start();
        // A bench stopped by Ctrl-C or a timeout stops its server too (SIGTERM: it stops its
        // embedded PostgreSQL), rather than leaving both running.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "bench-server-stop"));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (m.find()) {
                return new BenchServerProcess(process, log, m.group(1), key);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + "; see " + log);
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the server did not listen within " + START_TIMEOUT + "; see " + log);
    }

    String url() {
        return url;
    }

    String key() {
        return key;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** Heap in use right after a full GC, in bytes, as {@code jcmd GC.heap_info} reports it. */
    static long heapAfterGc(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher m = HEAP_USED.matcher(info);
        if (!m.find()) {
            throw new IllegalStateException("no heap figure in jcmd GC.heap_info:\n" + info);
        }
        return Long.parseLong(m.group(1)) * 1024;
    }

    /** The top of {@code jcmd GC.class_histogram}: where the heap goes. */
    static String histogram(long pid, int lines) throws IOException, InterruptedException {
        return String.join("\n", jcmd(pid, "GC.class_histogram").lines().limit(lines + 3).toList());
    }

    /** Resident set size (VmRSS) and its peak (VmHWM) from /proc, in bytes; -1 where unknown. */
    static long[] rss(long pid) {
        long[] rss = {-1, -1};
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss[0] = kib(line);
                } else if (line.startsWith("VmHWM:")) {
                    rss[1] = kib(line);
                }
            }
        } catch (IOException e) {
            // not Linux, or the process is gone: unknown
        }
        return rss;
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(javaBinary("jcmd"), Long.toString(pid), command).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + pid + " " + command + " failed:\n" + out);
        }
        return out;
    }

    private static String javaBinary(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    private static String ownJar() {
        try {
            Path jar = Path.of(BenchServerProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("run the bench from the jar (java -jar runledger.jar), not " + jar);
            }
            return jar.toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM (graceful: streams end, the embedded PostgreSQL stops), then force after a while. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static void deleteTree(Path dir) {
        Objects.requireNonNull(dir, "dir");
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

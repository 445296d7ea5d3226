package io.runledger.server.sdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code runledger} CLI in a child JVM on the test classpath, its output in a log file.
 * Children are stopped by their own PID (and their descendants' PIDs), never by name. Public
 * for the browser tests, which show what a killed worker leaves in a run's ledger.
 */
public final class ChildJvm implements AutoCloseable {
    private static final String MAIN = "io.runledger.server.cli.Main";

    private final Process process;
    private final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** JVM options for a child that should start quickly and stay small. */
    public static final List<String> LEAN_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k",
            "-Xmx128m");

    /** Starts {@code runledger <args>} in {@code dir}, with stdout and stderr in {@code log}. */
    public static ChildJvm start(Path dir, Path log, Map<String, String> env, List<String> args) {
        return start(dir, log, env, LEAN_JVM, args, false);
    }

    /**
     * Like {@link #start(Path, Path, Map, List)} with {@code jvmOptions} instead of
     * {@link #LEAN_JVM}; with {@code ownEnvOnly}, the {@code RUNLEDGER_*} variables of this JVM's
     * environment are not passed on, so the child sees only the settings {@code env} gives it.
     */
    public static ChildJvm start(Path dir, Path log, Map<String, String> env, List<String> jvmOptions,
            List<String> args, boolean ownEnvOnly) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        if (ownEnvOnly) {
            pb.environment().keySet().removeIf(name -> name.startsWith("RUNLEDGER_"));
        }
        pb.environment().putAll(env);
        try {
            return new ChildJvm(pb.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code runledger <args>} to its end and returns its output; fails on a non-zero exit. */
    static String run(Path dir, Map<String, String> env, List<String> args) throws Exception {
        Path log = Files.createTempFile(dir, "cli-", ".log");
        try (ChildJvm cli = start(dir, log, env, args)) {
            if (!cli.process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("runledger " + args + " did not end: " + cli.output());
            }
            if (cli.process.exitValue() != 0) {
                throw new AssertionError("runledger " + args + " exited " + cli.process.exitValue() + ": "
                        + cli.output());
            }
            return cli.output();
        }
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /**
     * The child's threads (virtual ones too), for a test to show when the child does not do
     * what it should in time; a note instead if the JDK's jcmd cannot be run.
     */
    String threadDump() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Path file = Files.createTempFile("child-threads", ".txt");
            Files.delete(file);
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.dump_to_file",
                    "-format=text", file.toString()).redirectErrorStream(true).start();
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "(jcmd did not answer)";
            }
            return Files.exists(file) ? Files.readString(file) : new String(p.getInputStream().readAllBytes());
        } catch (Exception e) {
            return "(no thread dump: " + e + ")";
        }
    }

    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** SIGKILL to this JVM (kill -9), then to whatever it had started. */
    public void kill() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /** Closes them all at once: SIGTERM to each first, then the waits. */
    static void closeAll(List<ChildJvm> children) throws InterruptedException {
        List<ProcessHandle> descendants = children.stream().flatMap(c -> c.process.descendants()).toList();
        children.forEach(c -> c.process.destroy());
        for (ChildJvm c : children) {
            c.close();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** SIGTERM (the worker shuts down gracefully), SIGKILL if it has not ended within the wait. */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}

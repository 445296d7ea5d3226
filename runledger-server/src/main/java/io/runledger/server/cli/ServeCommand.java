package io.runledger.server.cli;

import io.runledger.core.RunLedger;
import io.runledger.server.RunLedgerServer;
import io.runledger.server.auth.AdminKey;
import java.io.PrintStream;
import io.runledger.server.metrics.ServerMetrics;
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
            description = "CIDRs that webhooks may target although in a special-purpose range (loopback, "
                    + "private, link-local, ...), e.g. 127.0.0.1/32 (RUNLEDGER_WEBHOOK_ALLOW_CIDRS; default none).")
    List<String> webhookAllowCidrs;

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
        ServerMetrics metrics = new ServerMetrics();
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
}

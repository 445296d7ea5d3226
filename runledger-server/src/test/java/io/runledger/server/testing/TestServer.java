package io.runledger.server.testing;

import io.runledger.api.ApiKeys;
import io.runledger.core.RunLedger;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.RunLedgerServer;
import io.runledger.server.metrics.ServerMetrics;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A real server on a random port over the shared embedded PostgreSQL, with its engine's
 * background loops running fast so that sweeps happen within a test's patience.
 */
public final class TestServer implements AutoCloseable {
    public static final String ADMIN_KEY = "rla_test-admin-key";

    public final RunLedger ledger;
    public final RunLedgerServer server;
    public final ServerMetrics metrics;

    private TestServer(RunLedger ledger, RunLedgerServer server, ServerMetrics metrics) {
        this.ledger = ledger;
        this.server = server;
        this.metrics = metrics;
    }

    public static TestServer start() {
        return start(b -> b, b -> b);
    }

    /** A server whose engine and server settings the test adjusts (e.g. small bounds). */
    public static TestServer start(UnaryOperator<RunLedger.Builder> engine,
                                   UnaryOperator<RunLedgerServer.Builder> settings) {
        ServerMetrics metrics = new ServerMetrics();
        RunLedger ledger = engine.apply(metrics.attachTo(TestDatabase.ledgerBuilder())
                .webhookAllowCidrs(java.util.List.of("127.0.0.1/32"))
                .webhookRetry(Duration.ofMillis(100), Duration.ofMillis(400))
                .dispatchInterval(Duration.ofMillis(100))
                .backgroundLoops(true)
                .sweepInterval(Duration.ofMillis(200))
                .queueInterval(Duration.ofMillis(200)))
                .build();
        try {
            RunLedgerServer server = settings.apply(RunLedgerServer.builder(ledger)
                    .port(0)
                    .adminKeyHash(ApiKeys.hash(ADMIN_KEY))
                    .keepAlive(Duration.ofMillis(500))
                    .stopTimeout(Duration.ofSeconds(5))
                    .metrics(metrics))
                    .start();
            return new TestServer(ledger, server, metrics);
        } catch (RuntimeException e) {
            ledger.close();
            throw e;
        }
    }

    public Http admin() {
        return new Http(server.url(), ADMIN_KEY);
    }

    @Override
    public void close() {
        server.close();
        ledger.close();
    }
}

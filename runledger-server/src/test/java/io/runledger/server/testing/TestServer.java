package io.runledger.server.testing;

import io.runledger.core.RunLedger;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.RunLedgerServer;
import io.runledger.server.auth.ApiKeys;
import java.time.Duration;

/**
 * A real server on a random port over the shared embedded PostgreSQL, with its engine's
 * background loops running fast so that sweeps happen within a test's patience.
 */
public final class TestServer implements AutoCloseable {
    public static final String ADMIN_KEY = "rla_test-admin-key";

    public final RunLedger ledger;
    public final RunLedgerServer server;

    private TestServer(RunLedger ledger, RunLedgerServer server) {
        this.ledger = ledger;
        this.server = server;
    }

    public static TestServer start() {
        RunLedger ledger = TestDatabase.ledgerBuilder()
                .backgroundLoops(true)
                .sweepInterval(Duration.ofMillis(200))
                .queueInterval(Duration.ofMillis(200))
                .build();
        try {
            RunLedgerServer server = RunLedgerServer.builder(ledger)
                    .port(0)
                    .adminKeyHash(ApiKeys.hash(ADMIN_KEY))
                    .keepAlive(Duration.ofMillis(500))
                    .stopTimeout(Duration.ofSeconds(5))
                    .start();
            return new TestServer(ledger, server);
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

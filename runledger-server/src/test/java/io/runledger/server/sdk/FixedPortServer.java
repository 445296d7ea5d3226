package io.runledger.server.sdk;

import io.runledger.api.ApiKeys;
import io.runledger.client.RunLedgerClient;
import io.runledger.core.RunLedger;
import io.runledger.core.internal.db.ListenPort;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.RunLedgerServer;
import io.runledger.server.testing.TestServer;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * One engine and its HTTP server on a fixed port over the shared test database, so a test can
 * stop it and start another on the same port and data (a restart, as clients see it). Tests
 * take the port from {@link ListenPort}: below the ephemeral range, no outgoing connection
 * takes it between the stop and the restart.
 */
record FixedPortServer(RunLedger ledger, RunLedgerServer server) implements AutoCloseable {

    static FixedPortServer start(int port) {
        return start(port, b -> b);
    }

    static FixedPortServer start(int port, UnaryOperator<RunLedger.Builder> engine) {
        RunLedger ledger = engine.apply(TestDatabase.ledgerBuilder()).build();
        try {
            return new FixedPortServer(ledger, RunLedgerServer.builder(ledger).port(port)
                    .adminKeyHash(ApiKeys.hash(TestServer.ADMIN_KEY))
                    .keepAlive(Duration.ofMillis(500)).stopTimeout(Duration.ofSeconds(2)).start());
        } catch (RuntimeException e) {
            ledger.close();
            throw e;
        }
    }

    static RunLedgerClient client(int port, String key) {
        return RunLedgerClient.builder().url("http://127.0.0.1:" + port).key(key).build();
    }

    @Override
    public void close() {
        server.close();
        ledger.close();
    }
}

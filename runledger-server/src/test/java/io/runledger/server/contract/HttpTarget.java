package io.runledger.server.contract;

import io.runledger.api.Ledger;
import io.runledger.api.Maintenance;
import io.runledger.api.NewScopeKey;
import io.runledger.client.RunLedgerClient;
import io.runledger.core.contract.ContractBase;
import io.runledger.core.contract.Target;
import io.runledger.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The contract run over HTTP: a real server on the shared test database, with its background
 * loops off so that the suite drives sweeps, queue passes and webhook dispatch itself, and
 * {@link RunLedgerClient}s talking to it: the admin key for admin work, a scope key per scope.
 */
public final class HttpTarget implements Target {
    private final TestServer server = TestServer.start(
            b -> b.backgroundLoops(false).webhookMaxAttempts(ContractBase.WEBHOOK_MAX_ATTEMPTS), s -> s);
    private final List<RunLedgerClient> clients = new CopyOnWriteArrayList<>();
    private final RunLedgerClient admin = client(TestServer.ADMIN_KEY);

    private RunLedgerClient client(String key) {
        RunLedgerClient client = RunLedgerClient.builder().url(server.server.url()).key(key)
                .timeout(Duration.ofSeconds(30)).build();
        clients.add(client);
        return client;
    }

    @Override
    public Ledger open(String scope) {
        admin.admin().scopePut(scope);
        NewScopeKey key = admin.admin().keyCreate(scope, "contract");
        return client(key.key());
    }

    @Override
    public Ledger admin() {
        return admin;
    }

    @Override
    public Maintenance maintenance() {
        return server.ledger.maintenance();
    }

    @Override
    public void close() {
        clients.forEach(RunLedgerClient::close);
        server.close();
    }
}

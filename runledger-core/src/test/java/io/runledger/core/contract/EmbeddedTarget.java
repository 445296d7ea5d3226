package io.runledger.core.contract;

import io.runledger.api.Ledger;
import io.runledger.api.Maintenance;
import io.runledger.core.RunLedger;
import io.runledger.core.testing.TestDatabase;
import java.time.Duration;
import java.util.List;

/** The contract run in-process: one engine, which is the admin and every scope's ledger. */
public final class EmbeddedTarget implements Target {
    private final RunLedger engine = TestDatabase.ledgerBuilder()
            .webhookAllowCidrs(List.of("127.0.0.1/32"))
            .webhookRetry(Duration.ofMillis(100), Duration.ofMillis(400))
            .webhookMaxAttempts(ContractBase.WEBHOOK_MAX_ATTEMPTS)
            .build();

    @Override
    public Ledger open(String scope) {
        engine.admin().scopePut(scope);
        return engine;
    }

    @Override
    public Ledger admin() {
        return engine;
    }

    @Override
    public Maintenance maintenance() {
        return engine.maintenance();
    }

    @Override
    public void close() {
        engine.close();
    }
}

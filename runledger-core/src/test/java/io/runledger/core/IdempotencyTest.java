package io.runledger.core;

import io.runledger.api.IdempotencyKeyReusedException;
import io.runledger.api.Receipt;
import io.runledger.api.TriggerRequest;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Invariant 5 over time: an idempotency key expires with the engine's TTL (set short here) and is
 * purged. Replays, refusals and races are in the contract suite ({@code TriggerRulesContract}).
 */
class IdempotencyTest extends LedgerTestBase {

    private static TriggerRequest request(String key, int n) {
        return TriggerRequest.builder().input(json().put("n", n)).idempotencyKey(key).tags(List.of("a", "b")).build();
    }

    @Test
    void anExpiredKeyMapsToANewRun() {
        ledger.close();
        ledger = TestDatabase.ledgerBuilder().idempotencyTtl(Duration.ofSeconds(1)).build();
        Receipt first = trigger(request("short", 1));
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> !trigger(request("short", 1)).runId().equals(first.runId()));
        // after expiry even a different request may take the key
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    try {
                        return !trigger(request("short", 2)).replayed();
                    } catch (IdempotencyKeyReusedException e) {
                        return false;
                    }
                });
        trigger(request("purge-me", 1));
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> ledger.maintenance().queue().idempotencyKeysPurged() >= 1
                        && TestDatabase.count("select count(*) from idempotency_keys where idem_key = 'purge-me'") == 0);
    }
}

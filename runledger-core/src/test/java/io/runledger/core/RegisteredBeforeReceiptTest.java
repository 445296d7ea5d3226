package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.api.InvalidInputException;
import io.runledger.api.Receipt;
import io.runledger.api.ServiceSpec;
import io.runledger.api.TriggerRequest;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Invariant 1: the run and its run.accepted event are committed before the receipt exists. */
class RegisteredBeforeReceiptTest extends LedgerTestBase {

    @Test
    void everyReceiptIsVisibleToAnotherConnectionAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (Connection observer = TestDatabase.connect();
             PreparedStatement check = observer.prepareStatement(
                     "select r.status, e.type from runs r join run_events e"
                             + " on e.scope_id = r.scope_id and e.run_id = r.run_id and e.seq = 1"
                             + " where r.scope_id = ? and r.run_id = ?")) {
            List<Future<Receipt>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                futures.add(pool.submit(() -> ledger.runs().trigger(SCOPE, SERVICE,
                        TriggerRequest.of(json().put("n", n)))));
            }
            Set<String> ids = new HashSet<>();
            for (Future<Receipt> f : futures) {
                Receipt receipt = f.get();
                // Checked from a separate connection the moment the receipt is in hand.
                check.setString(1, SCOPE);
                check.setString(2, receipt.runId());
                try (ResultSet rs = check.executeQuery()) {
                    assertThat(rs.next()).as("run %s committed before its receipt", receipt.runId()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("accepted");
                    assertThat(rs.getString(2)).isEqualTo("run.accepted");
                }
                ids.add(receipt.runId());
            }
            assertThat(ids).hasSize(200);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRefusedTriggerWritesNothing() {
        ledger.admin().servicePut(SCOPE, "typed", new ServiceSpec(1, 30,
                json("{\"type\":\"object\",\"required\":[\"q\"],\"properties\":{\"q\":{\"type\":\"string\"}}}"),
                null, null));
        assertThatThrownBy(() -> ledger.runs().trigger(SCOPE, "typed",
                TriggerRequest.builder().input(json("{\"q\": 5}")).idempotencyKey("k1").build()))
                .isInstanceOf(InvalidInputException.class)
                .extracting(e -> ((InvalidInputException) e).code()).isEqualTo("invalid_input");
        assertThat(TestDatabase.count("select count(*) from runs")).isZero();
        assertThat(TestDatabase.count("select count(*) from run_events")).isZero();
        assertThat(TestDatabase.count("select count(*) from idempotency_keys")).isZero();

        Receipt ok = ledger.runs().trigger(SCOPE, "typed",
                TriggerRequest.builder().input(json("{\"q\": \"hi\"}")).idempotencyKey("k1").build());
        assertThat(ok.replayed()).isFalse();
        assertThat(TestDatabase.count("select count(*) from runs")).isEqualTo(1);
    }
}

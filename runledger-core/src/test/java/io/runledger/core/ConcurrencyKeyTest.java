package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.api.Lease;
import io.runledger.api.OnConflict;
import io.runledger.api.Receipt;
import io.runledger.api.RunStatus;
import io.runledger.api.TriggerRequest;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * Invariant 4 at the database level: the partial unique index behind the key, and the queue
 * maintainer's repair of a key left without a holder. The api behaviour of concurrency keys is
 * in the contract suite ({@code TriggerRulesContract}).
 */
class ConcurrencyKeyTest extends LedgerTestBase {

    private Receipt trigger(String key, OnConflict mode, int n) {
        return trigger(TriggerRequest.builder().input(json().put("n", n)).concurrencyKey(key).onConflict(mode).build());
    }

    @Test
    void theDatabaseRefusesASecondHolderEvenWhenTheApplicationCheckIsBypassed() throws SQLException {
        Receipt holder = trigger("k", OnConflict.REJECT, 1);
        Receipt waiter = trigger("k", OnConflict.ENQUEUE, 2);
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate(
                    "update runs set holds_key = true where run_id = '" + waiter.runId() + "'"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("runs_concurrency_holder");
            assertThatThrownBy(() -> st.executeUpdate(
                    "insert into runs (scope_id, run_id, service, status, max_attempts, lease_ttl_seconds,"
                            + " command_id, concurrency_key, holds_key, created_at, updated_at)"
                            + " values ('acme', 'run_intruder', 'work', 'accepted', 1, 30, 'c', 'k', true, now(), now())"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("runs_concurrency_holder");
        }
        assertThat(ledger.runs().get(SCOPE, holder.runId()).status()).isEqualTo(RunStatus.ACCEPTED);
    }

    @Test
    void aStrandedWaiterIsRepairedByTheQueueMaintainer() {
        Receipt holder = trigger("k", OnConflict.REJECT, 1);
        Receipt waiter = trigger("k", OnConflict.ENQUEUE, 2);
        // simulate an operator's manual change that leaves the key without a holder
        TestDatabase.sql("update runs set holds_key = false where run_id = '" + holder.runId() + "'");
        TestDatabase.sql("update runs set status = 'cancelled' where run_id = '" + holder.runId() + "'");
        assertThat(ledger.maintenance().queue().keysRepaired()).isEqualTo(1);
        assertThat(lease("w", 10)).extracting(Lease::runId).containsExactly(waiter.runId());
    }
}

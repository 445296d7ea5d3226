package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.api.ConcurrencyConflictException;
import io.runledger.api.Lease;
import io.runledger.api.OnConflict;
import io.runledger.api.Receipt;
import io.runledger.api.RunError;
import io.runledger.api.RunStatus;
import io.runledger.api.TriggerRequest;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Invariant 4: at most one non-terminal run holds a concurrency key. */
class ConcurrencyKeyTest extends LedgerTestBase {

    private Receipt trigger(String key, OnConflict mode, int n) {
        return trigger(TriggerRequest.builder().input(json().put("n", n)).concurrencyKey(key).onConflict(mode).build());
    }

    @Test
    void rejectIsTheDefaultAndWritesNothing() {
        Receipt holder = trigger(TriggerRequest.builder().input(json()).concurrencyKey("chat-1").build());
        long runs = TestDatabase.count("select count(*) from runs");
        assertThatThrownBy(() -> trigger(TriggerRequest.builder().input(json()).concurrencyKey("chat-1")
                .idempotencyKey("idem-1").build()))
                .isInstanceOfSatisfying(ConcurrencyConflictException.class, e -> {
                    assertThat(e.code()).isEqualTo("concurrency_conflict");
                    assertThat(e.activeRunId()).isEqualTo(holder.runId());
                    assertThat(e.details()).containsEntry("activeRunId", holder.runId());
                });
        assertThat(TestDatabase.count("select count(*) from runs")).isEqualTo(runs);
        assertThat(TestDatabase.count("select count(*) from idempotency_keys")).isZero();
        // another key is independent
        trigger(TriggerRequest.builder().input(json()).concurrencyKey("chat-2").build());
    }

    @Test
    void concurrentRejectTriggersAdmitExactlyOne() throws Exception {
        int racers = 12;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            int n = i;
            results.add(pool.submit(() -> {
                start.await();
                try {
                    trigger("hot", OnConflict.REJECT, n);
                    return true;
                } catch (ConcurrencyConflictException e) {
                    return false;
                }
            }));
        }
        start.countDown();
        int admitted = 0;
        for (Future<Boolean> f : results) {
            admitted += f.get() ? 1 : 0;
        }
        pool.shutdown();
        assertThat(admitted).isEqualTo(1);
        assertThat(TestDatabase.count("select count(*) from runs where concurrency_key = 'hot'")).isEqualTo(1);
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
    void enqueuedRunsTakeTheKeyInTriggerOrder() {
        Receipt first = trigger("k", OnConflict.ENQUEUE, 1);
        Receipt second = trigger("k", OnConflict.ENQUEUE, 2);
        Receipt third = trigger("k", OnConflict.ENQUEUE, 3);
        assertThat(second.status()).isEqualTo(RunStatus.ACCEPTED);

        // only the holder is leasable
        List<Lease> leases = lease("w", 10);
        assertThat(leases).extracting(Lease::runId).containsExactly(first.runId());
        ledger.workers().complete(SCOPE, first.runId(), leases.get(0).leaseToken(), json());

        leases = lease("w", 10);
        assertThat(leases).extracting(Lease::runId).containsExactly(second.runId());
        ledger.workers().fail(SCOPE, second.runId(), leases.get(0).leaseToken(), RunError.of("x", "y"), false);

        leases = lease("w", 10);
        assertThat(leases).extracting(Lease::runId).containsExactly(third.runId());
        // a retry keeps the key: nobody else may start meanwhile
        Receipt fourth = trigger("k", OnConflict.ENQUEUE, 4);
        ledger.workers().fail(SCOPE, third.runId(), leases.get(0).leaseToken(), RunError.of("x", "y"), true);
        leases = lease("w", 10);
        assertThat(leases).extracting(Lease::runId).containsExactly(third.runId());
        ledger.workers().complete(SCOPE, third.runId(), leases.get(0).leaseToken(), json());
        assertThat(lease("w", 10)).extracting(Lease::runId).containsExactly(fourth.runId());
    }

    @Test
    void cancellingAWaiterOrTheHolderKeepsTheQueueMoving() {
        Receipt holder = trigger("k", OnConflict.ENQUEUE, 1);
        Receipt waiter1 = trigger("k", OnConflict.ENQUEUE, 2);
        Receipt waiter2 = trigger("k", OnConflict.ENQUEUE, 3);
        ledger.runs().cancel(SCOPE, waiter1.runId(), "not needed");
        ledger.runs().cancel(SCOPE, holder.runId(), "not needed");
        assertThat(lease("w", 10)).extracting(Lease::runId).containsExactly(waiter2.runId());
    }

    @Test
    void interruptStopsTheHolderAndTheNewRunTakesOver() {
        Receipt holder = trigger("k", OnConflict.REJECT, 1);
        Lease lease = leaseOne("w");
        Receipt newer = trigger("k", OnConflict.INTERRUPT, 2);
        assertThat(ledger.runs().get(SCOPE, holder.runId()).stopRequestedAt()).isNotNull();
        assertThat(ledger.workers().heartbeat(SCOPE, holder.runId(), lease.leaseToken()).stopRequested()).isTrue();
        assertThat(lease("w", 10)).isEmpty();
        // the worker honours the stop
        ledger.workers().fail(SCOPE, holder.runId(), lease.leaseToken(), RunError.of("stopped", "stopped"), false);
        assertThat(ledger.runs().get(SCOPE, holder.runId()).status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(lease("w", 10)).extracting(Lease::runId).containsExactly(newer.runId());
    }

    @Test
    void interruptingAQueuedHolderCancelsItAtOnce() {
        Receipt holder = trigger("k", OnConflict.REJECT, 1);
        Receipt newer = trigger("k", OnConflict.INTERRUPT, 2);
        assertThat(ledger.runs().get(SCOPE, holder.runId()).status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(lease("w", 10)).extracting(Lease::runId).containsExactly(newer.runId());
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

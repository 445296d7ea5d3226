package io.runledger.core.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.runledger.api.LedgerListener;
import io.runledger.core.internal.notify.PgListener;
import io.runledger.core.internal.notify.ServiceChanges;
import io.runledger.core.internal.notify.WaitChanges;
import io.runledger.core.internal.notify.WakeUps;
import io.runledger.core.internal.store.EventStore;
import io.runledger.core.testing.TestDatabase;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * A commit wakes its run's local waiters once: right after the commit, not again when its own
 * NOTIFY comes back through the listener. Other instances' notifications still wake them.
 */
class TxEchoTest {

    @Test
    void aLocalCommitWakesOnceAndAForeignNotificationStillWakes() throws Exception {
        TestDatabase.truncate();
        Jdbi jdbi = Jdbi.create(TestDatabase.jdbcUrl(), TestDatabase.user(), TestDatabase.password());
        WakeUps wakeUps = new WakeUps();
        Tx tx = new Tx(jdbi, new EventStore(), wakeUps, LedgerListener.NONE, ServiceChanges.NONE);
        try (PgListener listener = new PgListener(TestDatabase.jdbcUrl(), TestDatabase.user(),
                TestDatabase.password(), wakeUps, ServiceChanges.NONE, WaitChanges.NONE);
             WakeUps.Ticket run = wakeUps.ticket(WakeUps.eventsKey("s", "r1"));
             WakeUps.Ticket marker = wakeUps.ticket(WakeUps.eventsKey("s", "marker"))) {
            listener.start();
            listenerIsUp(marker);

            tx.run((h, changes) -> {
                changes.events("s", "r1");
                return null;
            });
            assertThat(run.await(Duration.ZERO)).as("woken right after the commit").isTrue();
            // Notifications arrive in commit order: once the marker's has, so has the echo.
            TestDatabase.sql("select pg_notify('" + PgListener.CHANNEL + "', 'e|s|marker')");
            assertThat(marker.await(Duration.ofSeconds(10))).isTrue();
            assertThat(run.await(Duration.ZERO)).as("the commit's own echo wakes no one again").isFalse();

            TestDatabase.sql("select pg_notify('" + PgListener.CHANNEL + "', 'e|s|r1')");
            assertThat(run.await(Duration.ofSeconds(10))).as("another instance's commit wakes it").isTrue();
        }
    }

    @Test
    void aTransactionThatFailsAfterExpectingItsEchoWakesItsKeysAndExpectsNothing() throws Exception {
        TestDatabase.truncate();
        Jdbi jdbi = Jdbi.create(TestDatabase.jdbcUrl(), TestDatabase.user(), TestDatabase.password());
        WakeUps wakeUps = new WakeUps();
        Tx tx = new Tx(jdbi, new EventStore(), wakeUps, LedgerListener.NONE, ServiceChanges.NONE);
        try (WakeUps.Ticket run = wakeUps.ticket(WakeUps.eventsKey("s", "r1"))) {
            // A constraint checked at commit: the work and its NOTIFY succeed, the commit fails.
            assertThatThrownBy(() -> tx.run((h, changes) -> {
                h.execute("create temporary table deferred_check (x int unique deferrable initially deferred)"
                        + " on commit drop");
                h.execute("insert into deferred_check values (1), (1)");
                changes.events("s", "r1");
                return null;
            })).isNotNull();
            assertThat(run.await(Duration.ZERO)).as("woken, since a skipped notification may be lost").isTrue();
            wakeUps.notified(WakeUps.eventsKey("s", "r1"));
            assertThat(run.await(Duration.ZERO)).as("no echo is expected any more").isTrue();
        }
    }

    private static void listenerIsUp(WakeUps.Ticket marker) throws InterruptedException {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            TestDatabase.sql("select pg_notify('" + PgListener.CHANNEL + "', 'e|s|marker')");
            return marker.await(Duration.ofMillis(200));
        });
    }
}

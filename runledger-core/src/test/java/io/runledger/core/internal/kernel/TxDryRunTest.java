package io.runledger.core.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.api.LedgerListener;
import io.runledger.core.internal.notify.ServiceChanges;
import io.runledger.core.internal.notify.WakeUps;
import io.runledger.core.internal.store.EventStore;
import io.runledger.core.testing.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** A dry run (the preflight of a trigger) runs in a transaction where PostgreSQL refuses writes. */
class TxDryRunTest {

    @Test
    void aDryRunCannotWriteAndItsReadsWork() {
        TestDatabase.truncate();
        Jdbi jdbi = Jdbi.create(TestDatabase.jdbcUrl(), TestDatabase.user(), TestDatabase.password());
        Tx tx = new Tx(jdbi, new EventStore(), new WakeUps(), LedgerListener.NONE, ServiceChanges.NONE);
        assertThatThrownBy(() -> tx.dryRun(h -> h.execute("insert into scopes (scope_id) values ('dry')")))
                .hasMessageContaining("read-only transaction");
        assertThat(TestDatabase.count("select count(*) from scopes where scope_id = 'dry'")).isZero();
        int one = tx.dryRun(h -> h.createQuery("select 1").mapTo(Integer.class).one());
        assertThat(one).isEqualTo(1);
        // the same Jdbi still writes outside a dry run
        int written = tx.run((h, changes) -> h.execute("insert into scopes (scope_id) values ('wet')"));
        assertThat(written).isEqualTo(1);
    }
}

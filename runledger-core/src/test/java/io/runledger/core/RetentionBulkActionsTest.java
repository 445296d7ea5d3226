package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.api.BulkAction;
import io.runledger.api.BulkActionRequest;
import io.runledger.api.BulkActionStatus;
import io.runledger.api.BulkFilter;
import io.runledger.api.NotFoundException;
import io.runledger.api.RunStatus;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/** Retention drops bulk actions that finished more than 7 days ago, with their snapshots, and no other. */
class RetentionBulkActionsTest extends LedgerTestBase {

    private BulkAction cancelAll(String reason) {
        return ledger.bulkActions().create(SCOPE, BulkActionRequest.cancel(BulkFilter.all(), reason));
    }

    @Test
    void finishedActionsOlderThanAWeekGoWithTheirSnapshots() {
        for (int i = 0; i < 3; i++) {
            trigger();
        }
        BulkAction old = cancelAll("old");
        while (ledger.maintenance().bulkActionPages(10) > 0) {
            // finish it
        }
        assertThat(ledger.bulkActions().get(SCOPE, old.bulkActionId()).status()).isEqualTo(BulkActionStatus.COMPLETED);
        BulkAction recent = cancelAll("recent");
        for (int i = 0; i < 2; i++) {
            trigger();
        }
        BulkAction running = ledger.bulkActions().create(SCOPE,
                BulkActionRequest.cancel(BulkFilter.all().withStatus(RunStatus.ACCEPTED), "running"));
        assertThat(running.status()).isEqualTo(BulkActionStatus.RUNNING);
        TestDatabase.sql("update bulk_actions set finished_at = now() - interval '8 days',"
                + " created_at = now() - interval '9 days' where bulk_action_id = '" + old.bulkActionId() + "'");
        // a running action is never deleted, however old
        TestDatabase.sql("update bulk_actions set created_at = now() - interval '30 days'"
                + " where bulk_action_id = '" + running.bulkActionId() + "'");
        assertThat(TestDatabase.count("select count(*) from bulk_action_runs where bulk_action_id = '"
                + old.bulkActionId() + "'")).isEqualTo(3);

        ledger.maintenance().retention();

        assertThatThrownBy(() -> ledger.bulkActions().get(SCOPE, old.bulkActionId()))
                .isInstanceOf(NotFoundException.class);
        assertThat(TestDatabase.count("select count(*) from bulk_action_runs where bulk_action_id = '"
                + old.bulkActionId() + "'")).isZero();
        assertThat(ledger.bulkActions().get(SCOPE, recent.bulkActionId()).reason()).isEqualTo("recent");
        assertThat(ledger.bulkActions().get(SCOPE, running.bulkActionId()).status()).isEqualTo(BulkActionStatus.RUNNING);
        assertThat(TestDatabase.count("select count(*) from bulk_action_runs where bulk_action_id = '"
                + running.bulkActionId() + "'")).isEqualTo(2);
    }
}

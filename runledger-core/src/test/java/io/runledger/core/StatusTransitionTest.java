package io.runledger.core;

import static io.runledger.api.RunStatus.ACCEPTED;
import static io.runledger.api.RunStatus.CANCELLED;
import static io.runledger.api.RunStatus.EXPIRED;
import static io.runledger.api.RunStatus.FAILED;
import static io.runledger.api.RunStatus.RUNNING;
import static io.runledger.api.RunStatus.SCHEDULED;
import static io.runledger.api.RunStatus.SUCCEEDED;
import static io.runledger.api.RunStatus.WAITING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.runledger.api.IllegalTransitionException;
import io.runledger.api.Lease;
import io.runledger.api.RunStatus;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import java.sql.Connection;
import io.runledger.core.internal.kernel.Tx;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.Test;

/** The transition table of DESIGN.md, in the enum and in the database trigger alike. */
class StatusTransitionTest extends LedgerTestBase {

    private static final Map<RunStatus, Set<RunStatus>> CONTRACT = Map.of(
            ACCEPTED, EnumSet.of(RUNNING, CANCELLED, EXPIRED),
            SCHEDULED, EnumSet.of(ACCEPTED, CANCELLED),
            RUNNING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED, ACCEPTED, SCHEDULED, WAITING),
            WAITING, EnumSet.of(ACCEPTED, CANCELLED, FAILED),
            SUCCEEDED, EnumSet.noneOf(RunStatus.class),
            FAILED, EnumSet.noneOf(RunStatus.class),
            CANCELLED, EnumSet.noneOf(RunStatus.class),
            EXPIRED, EnumSet.noneOf(RunStatus.class));

    @Test
    void theEnumMatchesTheContract() {
        for (RunStatus from : RunStatus.values()) {
            for (RunStatus to : RunStatus.values()) {
                boolean allowed = CONTRACT.get(from).contains(to);
                assertThat(from.canMoveTo(to)).as("%s -> %s", from, to).isEqualTo(allowed);
                if (!allowed) {
                    assertThatThrownBy(() -> from.requireMoveTo(to, "run_x"))
                            .isInstanceOf(IllegalTransitionException.class)
                            .hasFieldOrPropertyWithValue("code", "illegal_transition");
                }
            }
            assertThat(from.isTerminal()).isEqualTo(CONTRACT.get(from).isEmpty());
        }
    }

    @Test
    void theDatabaseRefusesEveryIllegalTransition() throws SQLException {
        String runId = trigger().runId();
        Lease lease = leaseOne("w");
        ledger.workers().complete(SCOPE, runId, lease.leaseToken(), json());
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement()) {
            for (RunStatus target : RunStatus.values()) {
                if (target == SUCCEEDED) {
                    continue;
                }
                assertThatThrownBy(() -> st.executeUpdate("update runs set status = '" + target.wireName()
                        + "' where run_id = '" + runId + "'"))
                        .as("succeeded -> %s", target)
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("illegal run status transition");
            }
        }
        // each legal edge from accepted is let through
        String queued = trigger().runId();
        TestDatabase.sql("update runs set status = 'expired' where run_id = '" + queued + "'");
        assertThat(ledger.runs().get(SCOPE, queued).status()).isEqualTo(EXPIRED);
    }

    @Test
    void aTransitionTheDatabaseRefusesReachesCallersAsAConflictNotAnOutage() {
        String runId = trigger().runId();
        Lease lease = leaseOne("w");
        ledger.workers().complete(SCOPE, runId, lease.leaseToken(), json());
        Jdbi jdbi = Jdbi.create(TestDatabase.jdbcUrl(), TestDatabase.user(), TestDatabase.password());
        JdbiException refused = catchThrowableOfType(JdbiException.class, () -> jdbi.useHandle(h ->
                h.execute("update runs set status = 'running' where run_id = ?", runId)));
        RuntimeException translated = Tx.translate(refused);
        assertThat(translated).isInstanceOf(IllegalTransitionException.class)
                .hasFieldOrPropertyWithValue("code", "illegal_transition");
        assertThat(((IllegalTransitionException) translated).details())
                .containsEntry("from", "succeeded").containsEntry("to", "running");
        assertThat(translated.getMessage()).contains(runId);
    }

    @Test
    void theLedgerIsAppendOnly() {
        String runId = trigger().runId();
        assertThatThrownBy(() -> TestDatabase.sql("update run_events set type = 'x' where run_id = '" + runId + "'"))
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> TestDatabase.sql("delete from run_events where run_id = '" + runId + "'"))
                .hasMessageContaining("append-only");
    }
}

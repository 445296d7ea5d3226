package io.runledger.core.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.NullNode;
import io.runledger.api.EventDraft;
import io.runledger.api.TriggerRequest;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * The worker's statements, called with one item as they mostly are, keep one generic plan
 * per connection instead of being planned anew on every call (which cost about 1 ms of the
 * database's CPU per claim or completion, more than running them). PostgreSQL counts in
 * {@code pg_prepared_statements} how often it planned a prepared statement either way.
 */
class GenericPlansTest extends LedgerTestBase {
    private static final int CALLS = 12;

    private final RunStore runs = new RunStore();
    private final EventStore events = new EventStore();

    /**
     * A queue of a few thousand runs, with statistics: on empty tables every plan looks
     * cheap, and the choice between the generic plan and one per call does not show.
     */
    @BeforeEach
    void aQueue() {
        List<TriggerRequest> items = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> TriggerRequest.of(json())).toList();
        for (int i = 0; i < 3; i++) {
            ledger.batches().register(SCOPE, SERVICE, items);
        }
        TestDatabase.sql("analyze runs");
        TestDatabase.sql("analyze run_events");
    }

    @Test
    void aClaimOfOneRunKeepsItsGenericPlan() throws Exception {
        assertPlannedOnce("-- Claims up to", h -> runs.runsLease(h, SCOPE, List.of(SERVICE), 1, "w"));
    }

    @Test
    void aClaimOfManyRunsKeepsItsGenericPlanToo() throws Exception {
        assertPlannedOnce("-- Claims up to", h -> runs.runsLease(h, SCOPE, List.of(SERVICE), 25, "w"));
    }

    @Test
    void aCompletionOfOneRunKeepsItsGenericPlan() throws Exception {
        assertPlannedOnce("-- The terminal write of completions", h -> runs.runsSucceed(h, SCOPE,
                List.of(new Fenced("run_unknown", "token")), List.of(NullNode.instance), "run.succeeded", true));
    }

    @Test
    void aHeartbeatOfOneLeaseKeepsItsGenericPlan() throws Exception {
        assertPlannedOnce("-- Heartbeats", h -> runs.leasesExtend(h, SCOPE, List.of(new Fenced("run_unknown", "token"))));
    }

    @Test
    void aLockOfOneRunKeepsItsGenericPlan() throws Exception {
        assertPlannedOnce("-- Locks the named runs", h -> runs.runsLock(h, SCOPE, List.of("run_unknown")));
    }

    @Test
    void anAppendOfOneEventKeepsItsGenericPlan() throws Exception {
        assertPlannedOnce("-- The one statement that takes seqs", h -> events.eventsAppendLeased(h, SCOPE, "run_unknown",
                "token", List.of(new EventDraft("output.delta", null))));
    }

    /**
     * Runs {@code call} {@value #CALLS} times on one connection, prepared after 3 as the
     * engine's pool does, and reads how PostgreSQL planned the statement starting with
     * {@code prefix}: a plan made per call counts as a custom plan every time.
     */
    private static void assertPlannedOnce(String prefix, Consumer<Handle> call) throws Exception {
        try (Connection c = TestDatabase.connect(); Handle h = Jdbi.open(c)) {
            c.unwrap(PGConnection.class).setPrepareThreshold(3);
            for (int i = 0; i < CALLS; i++) {
                call.accept(h);
            }
            List<Map<String, Object>> plans = h.createQuery(
                            "select generic_plans, custom_plans from pg_prepared_statements where starts_with(statement, :prefix)")
                    .bind("prefix", prefix)
                    .mapToMap().list();
            assertThat(plans).as("the statement was prepared on the server").hasSize(1);
            long generic = ((Number) plans.get(0).get("generic_plans")).longValue();
            long custom = ((Number) plans.get(0).get("custom_plans")).longValue();
            // PostgreSQL makes 5 custom plans before it weighs the generic one.
            assertThat(custom).as("plans made for the call's values").isLessThanOrEqualTo(5);
            assertThat(generic).as("calls that used the kept generic plan").isGreaterThanOrEqualTo(CALLS - 3 - 5);
        }
    }
}

package io.runledger.core.internal.leases;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.api.ServiceSpec;
import io.runledger.core.RunLedger;
import io.runledger.core.internal.db.SqlStatements;
import io.runledger.core.internal.store.RunStore;
import io.runledger.core.testing.TestDatabase;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The statements that find runs by id and lease token (completions, failures, heartbeats,
 * steps, suspensions) go by primary key, also in the state a drain leaves the planner in:
 * statistics taken while every run was queued, then thousands running. There the plain
 * {@code status = 'running'} let the planner prefer runs_health_active (scope, status, ...)
 * and walk every running run of the scope for each item: completes of 25 runs took 70-130 ms.
 */
class FencedLookupPlansTest {
    private static final String SCOPE = "plans";
    private static final int RUNS = 20_000;
    private static final int RUNNING = 5_000;

    @Test
    void lookupsByIdAndLeaseUseThePrimaryKeyWhateverTheStatisticsSay() {
        TestDatabase.truncate();
        try (RunLedger engine = TestDatabase.ledgerBuilder().build()) {
            engine.admin().scopePut(SCOPE);
            engine.admin().servicePut(SCOPE, "work", new ServiceSpec(3, 300, null, null, null));
            TestDatabase.sql("insert into runs (scope_id, run_id, service, status, attempt, max_attempts,"
                    + " lease_ttl_seconds, input, command_id, created_at, updated_at, last_seq, priority, last_event_at)"
                    + " select '" + SCOPE + "', 'run_' || lpad(g::text, 8, '0'), 'work', 'accepted', 1, 3, 300,"
                    + " '{}', 'cmd_' || g, now(), now(), 1, 0, now() from generate_series(1, " + RUNS + ") g");
            TestDatabase.sql("analyze runs"); // what the planner knows: everything queued
            TestDatabase.sql("update runs set status = 'running', lease_token = 't' || run_id, worker_id = 'w',"
                    + " lease_expires_at = now() + interval '5 minutes', started_at = now()"
                    + " where run_id <= 'run_" + String.format("%08d", RUNNING) + "'");

            SqlStatements runs = SqlStatements.load(RunStore.class, "runs.sql");
            String[] ids = {"run_00000010", "run_00000020", "run_00000030"};
            String[] tokens = {"trun_00000010", "trun_00000020", "trun_00000030"};
            try (Handle h = Jdbi.create(TestDatabase.jdbcUrl(), TestDatabase.user(), TestDatabase.password()).open()) {
                for (boolean unkeyedOnly : new boolean[] {true, false}) { // on its own, in a transaction
                    assertByPrimaryKey(h.createQuery("explain " + runs.get("runsSucceed")).bind("scope", SCOPE)
                            .bind("runIds", ids).bind("tokens", tokens).bind("outputs", new String[] {"{}", "{}", "{}"})
                            .bind("n", ids.length).bind("type", "run.succeeded").bind("unkeyedOnly", unkeyedOnly)
                            .mapTo(String.class).list());
                }
                assertByPrimaryKey(h.createQuery("explain " + runs.get("leasesExtend")).bind("scope", SCOPE)
                        .bind("runIds", ids).bind("tokens", tokens).bind("n", ids.length).mapTo(String.class).list());
                assertByPrimaryKey(h.createQuery("explain " + runs.get("runSuspend")).bind("scope", SCOPE)
                        .bind("runId", ids[0]).bind("token", tokens[0]).mapTo(String.class).list());
            }
        } finally {
            TestDatabase.truncate();
        }
    }

    private static void assertByPrimaryKey(List<String> plan) {
        String text = String.join("\n", plan);
        assertThat(text).as(text).contains("runs_pkey").doesNotContain("runs_health_active")
                .doesNotContain("runs_lease_expiry").doesNotContain("Seq Scan on runs");
    }
}

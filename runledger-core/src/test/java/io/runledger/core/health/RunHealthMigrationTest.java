package io.runledger.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.runledger.api.EventDraft;
import io.runledger.api.Lease;
import io.runledger.api.LeaseRequest;
import io.runledger.api.RunEvent;
import io.runledger.api.ServiceSpec;
import io.runledger.api.TriggerRequest;
import io.runledger.core.RunLedger;
import io.runledger.core.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * V12's backfill gives the runs in progress before it their lastEventAt, the time of their
 * latest event; runs settled before it answer their finished_at, the time of their terminal event.
 */
class RunHealthMigrationTest {

    /** The backfill UPDATE of the V12 migration, exactly as the migration runs it. */
    static String backfillStatement(String migration) {
        int start = migration.indexOf("update runs r");
        return migration.substring(start, migration.indexOf(';', start));
    }

    @Test
    void theBackfillSetsTheLastEventAtOfRunsInProgressAndSettledRunsAnswerTheirFinishedAt() throws IOException {
        TestDatabase.truncate();
        try (RunLedger engine = TestDatabase.ledgerBuilder().build()) {
            engine.admin().scopePut("acme");
            engine.admin().servicePut("acme", "work", new ServiceSpec(3, 30, null, null, null, null));
            List<String> runIds = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                runIds.add(engine.runs().trigger("acme", "work", TriggerRequest.of(JsonNodeFactory.instance.objectNode()))
                        .runId());
            }
            List<Lease> leases = engine.workers().lease("acme", LeaseRequest.of("w", List.of("work"), 3, Duration.ZERO));
            engine.workers().append("acme", leases.get(0).runId(), leases.get(0).leaseToken(),
                    List.of(new EventDraft("progress", JsonNodeFactory.instance.objectNode())));
            engine.workers().complete("acme", leases.get(1).runId(), leases.get(1).leaseToken(), null);
            engine.runs().cancel("acme", runIds.get(5), "no");

            String migration = new String(RunHealthMigrationTest.class.getResourceAsStream(
                    "/db/migration/V12__run_health.sql").readAllBytes(), StandardCharsets.UTF_8);
            // as before the migration: the column is empty
            TestDatabase.sql("update runs set last_event_at = null");
            TestDatabase.sql(backfillStatement(migration));
            String latest = "(select max(created_at) from run_events e where e.scope_id = r.scope_id and e.run_id = r.run_id)";
            assertThat(TestDatabase.count("select count(*) from runs r where finished_at is null"
                    + " and last_event_at is not distinct from " + latest)).isEqualTo(4);
            assertThat(TestDatabase.count("select count(*) from runs r where finished_at is not null"
                    + " and last_event_at is null and finished_at = " + latest)).isEqualTo(2);
            assertThat(TestDatabase.count("select count(distinct last_seq) from runs")).isEqualTo(3); // 1, 2, 3 events
            for (String runId : runIds) {
                Instant newest = engine.runs().events("acme", runId, 0, 100).items().stream()
                        .map(RunEvent::createdAt).max(Comparator.naturalOrder()).orElseThrow();
                assertThat(engine.runs().get("acme", runId).lastEventAt()).as(runId).isEqualTo(newest);
                assertThat(engine.runs().rebuildProjection("acme", runId).changed()).isFalse();
            }
        }
    }
}

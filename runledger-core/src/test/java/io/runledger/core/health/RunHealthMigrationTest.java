package io.runledger.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.runledger.api.EventDraft;
import io.runledger.api.Lease;
import io.runledger.api.LeaseRequest;
import io.runledger.api.ServiceSpec;
import io.runledger.api.TriggerRequest;
import io.runledger.core.RunLedger;
import io.runledger.core.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** V12's backfill gives runs written before it their lastEventAt: the time of their latest event. */
class RunHealthMigrationTest {

    /** The backfill UPDATE of the V12 migration, exactly as the migration runs it. */
    static String backfillStatement(String migration) {
        int start = migration.indexOf("update runs r");
        return migration.substring(start, migration.indexOf(';', start));
    }

    @Test
    void theBackfillSetsEachRunsLastEventAtToItsLatestEvent() throws IOException {
        TestDatabase.truncate();
        try (RunLedger engine = TestDatabase.ledgerBuilder().build()) {
            engine.admin().scopePut("acme");
            engine.admin().servicePut("acme", "work", new ServiceSpec(3, 30, null, null, null, null));
            for (int i = 0; i < 5; i++) {
                engine.runs().trigger("acme", "work", TriggerRequest.of(JsonNodeFactory.instance.objectNode()));
            }
            List<Lease> leases = engine.workers().lease("acme", LeaseRequest.of("w", List.of("work"), 3, Duration.ZERO));
            engine.workers().append("acme", leases.get(0).runId(), leases.get(0).leaseToken(),
                    List.of(new EventDraft("progress", JsonNodeFactory.instance.objectNode())));
            engine.workers().complete("acme", leases.get(1).runId(), leases.get(1).leaseToken(), null);
        }
        String migration = new String(RunHealthMigrationTest.class.getResourceAsStream(
                "/db/migration/V12__run_health.sql").readAllBytes(), StandardCharsets.UTF_8);
        // as before the migration: the column is empty
        TestDatabase.sql("update runs set last_event_at = null");
        TestDatabase.sql(backfillStatement(migration));
        assertThat(TestDatabase.count("select count(*) from runs where last_event_at is null")).isZero();
        assertThat(TestDatabase.count("select count(*) from runs r where last_event_at <>"
                + " (select max(created_at) from run_events e where e.scope_id = r.scope_id and e.run_id = r.run_id)"))
                .isZero();
        assertThat(TestDatabase.count("select count(distinct last_seq) from runs")).isEqualTo(3); // 1, 2 and 3 events
    }
}

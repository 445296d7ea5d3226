package io.runledger.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.api.RunFilter;
import io.runledger.api.RunHealth;
import io.runledger.api.ServiceSpec;
import io.runledger.core.RunLedger;
import io.runledger.core.testing.TestDatabase;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/**
 * The health filters' plans on 50,000 runs (the 1,000,000-run benchmark's mix, scaled down):
 * each filter reads its partial index, never the whole table. The timings at full size are
 * {@link HealthFiltersScaleBench}'s.
 */
class HealthFilterPlansTest {

    @Test
    void eachHealthFilterReadsItsPartialIndexes() throws Exception {
        TestDatabase.truncate();
        try (RunLedger engine = TestDatabase.ledgerBuilder().build()) {
            engine.admin().scopePut(HealthFiltersScaleBench.SCOPE);
            for (int s = 0; s < 10; s++) {
                engine.admin().servicePut(HealthFiltersScaleBench.SCOPE, "s" + s,
                        new ServiceSpec(3, 30, null, null, null, null));
            }
            HealthFiltersScaleBench.load(20);
            try (Handle h = HealthFiltersScaleBench.jdbi().open()) {
                plan(h, HealthFiltersScaleBench.health(RunHealth.RETRYING), "runs_health_retrying");
                plan(h, HealthFiltersScaleBench.health(RunHealth.STUCK), "runs_lease_expiry", "runs_health_active",
                        "runs_due");
                // Silent runs are running ones: either partial index that holds only those will do,
                // and which one the planner takes on a table this small depends on its statistics.
                planAny(h, HealthFiltersScaleBench.health(RunHealth.SILENT), RUNNING_ONLY);
                planAny(h, HealthFiltersScaleBench.health(RunHealth.SILENT).withSilentForSeconds(3600),
                        RUNNING_ONLY);
                for (RunHealth health : RunHealth.values()) {
                    plan(h, HealthFiltersScaleBench.health(health).withService("s3"));
                }
            }
        } finally {
            TestDatabase.truncate();
        }
    }

    /** Partial indexes that hold the running runs and no finished ones. */
    private static final List<String> RUNNING_ONLY = List.of("runs_health_active", "runs_lease_expiry");

    /** As {@link #plan}, reading at least one of {@code anyOf}. */
    private static void planAny(Handle h, RunFilter filter, List<String> anyOf) {
        List<String> plan = HealthFiltersScaleBench.explain(h, filter);
        String text = String.join("\n", plan);
        assertThat(text).as(filter + "\n" + text).doesNotContain("Seq Scan on runs");
        assertThat(HealthFiltersScaleBench.indexes(plan).split(", ")).as(filter + "\n" + text)
                .containsAnyElementsOf(anyOf);
    }

    private static void plan(Handle h, RunFilter filter, String... indexes) {
        List<String> plan = HealthFiltersScaleBench.explain(h, filter);
        String text = String.join("\n", plan);
        assertThat(text).as(filter + "\n" + text).doesNotContain("Seq Scan on runs");
        assertThat(text).as(filter + "\n" + text).contains("Index");
        if (indexes.length > 0) {
            assertThat(HealthFiltersScaleBench.indexes(plan).split(", ")).as(filter + "\n" + text).contains(indexes);
        }
    }
}

package io.runledger.core.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.api.Lease;
import io.runledger.api.LeaseRequest;
import io.runledger.api.TriggerRequest;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * ANALYZE of the busiest tables skips their payload columns: autovacuum analyzes runs and
 * run_events again and again while a queue drains, and sampling whole jsonb documents was
 * much of that work. The columns the planner reads keep their statistics.
 */
class PayloadStatisticsTest extends LedgerTestBase {

    @Test
    void analyzeKeepsStatisticsForTheColumnsQueriesUseAndNoneForPayloads() throws SQLException {
        List<TriggerRequest> items = IntStream.range(0, 200)
                .mapToObj(i -> TriggerRequest.of(json().put("n", i).put("text", "input " + i))).toList();
        ledger.batches().register(SCOPE, SERVICE, items);
        List<Lease> leases = ledger.workers().lease(SCOPE, LeaseRequest.of("w", List.of(SERVICE), 100, Duration.ZERO));
        for (Lease lease : leases) {
            ledger.workers().complete(SCOPE, lease.runId(), lease.leaseToken(), json().put("done", lease.runId()));
        }
        TestDatabase.sql("analyze runs");
        TestDatabase.sql("analyze run_events");

        assertThat(statisticsOf("runs")).contains("scope_id", "run_id", "service", "status", "created_at")
                .doesNotContain("input", "output", "error", "metadata", "retry");
        assertThat(statisticsOf("run_events")).contains("run_id", "seq", "type").doesNotContain("data");
    }

    /** The columns of {@code table} that ANALYZE left statistics for. */
    private static List<String> statisticsOf(String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Connection c = TestDatabase.connect(); PreparedStatement ps = c.prepareStatement(
                "select attname from pg_stats where schemaname = current_schema() and tablename = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        return columns;
    }
}

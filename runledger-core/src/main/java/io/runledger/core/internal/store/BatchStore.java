package io.runledger.core.internal.store;

import io.runledger.core.internal.db.SqlStatements;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** Statements of {@code batches} (and the runs of a batch). */
public final class BatchStore {
    private static final SqlStatements BATCHES = SqlStatements.load(BatchStore.class, "batches.sql");

    private static final RowMapper<BatchRow> BATCH = (rs, ctx) -> batch(rs, Map.of());

    /** {@code batchGet} adds {@code counts}, a JSON object of status to run count. */
    private static final RowMapper<BatchRow> BATCH_WITH_COUNTS = (rs, ctx) -> {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Json.read(rs.getString("counts")).properties().forEach(e -> counts.put(e.getKey(), e.getValue().asInt()));
        return batch(rs, counts);
    };

    private static BatchRow batch(ResultSet rs, Map<String, Integer> counts) throws SQLException {
        return new BatchRow(rs.getString("scope_id"), rs.getString("batch_id"), rs.getString("service"),
                rs.getInt("size"), RunMapper.instant(rs, "created_at"), counts);
    }

    public BatchRow batchInsert(Handle h, String scope, String batchId, String service, int size) {
        return h.createQuery(BATCHES.get("batchInsert"))
                .bind("scope", scope).bind("batchId", batchId).bind("service", service).bind("size", size)
                .map(BATCH).one();
    }

    public Optional<BatchRow> batchGet(Handle h, String scope, String batchId) {
        return h.createQuery(BATCHES.get("batchGet")).bind("scope", scope).bind("batchId", batchId)
                .map(BATCH_WITH_COUNTS).findOne();
    }

    /** The batch's runs in trigger order. */
    public List<String> batchRunIds(Handle h, String scope, String batchId) {
        return h.createQuery(BATCHES.get("batchRunIds")).bind("scope", scope).bind("batchId", batchId)
                .mapTo(String.class).list();
    }
}

package io.runledger.core.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.Run;
import io.runledger.api.RunError;
import io.runledger.api.RunEvent;
import io.runledger.api.RunStatus;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Maps rows of {@code runs} and {@code run_events} to the API records, and holds the column
 * conversions (timestamps, text arrays) the other stores' mappers share.
 */
final class RunMapper {
    static final RowMapper<Run> RUN = RunMapper::run;
    static final RowMapper<RunEvent> EVENT = RunMapper::event;
    static final RowMapper<StoredRun> STORED = (rs, ctx) ->
            new StoredRun(run(rs, ctx), rs.getString("lease_token"), rs.getBoolean("holds_key"),
                    rs.getInt("lease_ttl_seconds"), rs.getString("stop_reason"), Json.read(rs.getString("retry")),
                    rs.getInt("memos"));

    private RunMapper() {
    }

    static Run run(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Run(
                rs.getString("run_id"),
                rs.getString("scope_id"),
                rs.getString("service"),
                RunStatus.fromWire(rs.getString("status")),
                rs.getInt("attempt"),
                rs.getInt("max_attempts"),
                Json.read(rs.getString("input")),
                Json.read(rs.getString("output")),
                error(Json.read(rs.getString("error"))),
                rs.getString("command_id"),
                rs.getString("correlation_id"),
                rs.getString("concurrency_key"),
                rs.getString("parent_run_id"),
                strings(rs.getArray("tags")),
                Json.read(rs.getString("metadata")),
                rs.getString("worker_id"),
                instant(rs, "created_at"),
                instant(rs, "run_at"),
                instant(rs, "started_at"),
                instant(rs, "finished_at"),
                instant(rs, "stop_requested_at"),
                instant(rs, "lease_expires_at"),
                instant(rs, "updated_at"),
                rs.getLong("last_seq"),
                // a run without a parent is the root of its own tree (the column is only set for children)
                rs.getString("root_run_id") != null ? rs.getString("root_run_id") : rs.getString("run_id"),
                rs.getString("replay_of"),
                rs.getInt("priority"),
                lastEventAt(rs));
    }

    /**
     * The time of the run's latest event. A run settled before V12 has none stored (the
     * migration wrote only runs in progress); its latest event is its terminal one, written in
     * the transaction that set finished_at, at that same now().
     */
    private static Instant lastEventAt(ResultSet rs) throws SQLException {
        Instant stored = instant(rs, "last_event_at");
        return stored != null ? stored : instant(rs, "finished_at");
    }

    static RunEvent event(ResultSet rs, StatementContext ctx) throws SQLException {
        return new RunEvent(
                rs.getString("run_id"),
                rs.getLong("seq"),
                rs.getString("type"),
                rs.getInt("schema_version"),
                Json.read(rs.getString("data")),
                instant(rs, "created_at"));
    }

    static RunError error(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        JsonNode detail = node.get("detail");
        return new RunError(
                node.path("code").asText("error"),
                node.path("message").asText(""),
                detail == null || detail.isNull() ? null : detail);
    }

    /** An instant as a JDBC timestamptz parameter; null stays null. */
    static OffsetDateTime offset(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, java.time.ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static List<String> strings(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        return Arrays.asList((String[]) array.getArray());
    }
}

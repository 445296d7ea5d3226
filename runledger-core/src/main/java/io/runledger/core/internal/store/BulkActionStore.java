package io.runledger.core.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.BulkAction;
import io.runledger.api.BulkActionKind;
import io.runledger.api.BulkActionStatus;
import io.runledger.api.BulkFilter;
import io.runledger.api.RunFilter;
import io.runledger.api.RunHealth;
import io.runledger.api.RunStatus;
import io.runledger.api.Timestamps;
import io.runledger.core.internal.db.SqlStatements;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** Statements of {@code bulk_actions} and the run snapshot of each, {@code bulk_action_runs}. */
public final class BulkActionStore {
    private static final SqlStatements BULK = SqlStatements.load(BulkActionStore.class, "bulk_actions.sql");

    private static final RowMapper<BulkActionRow> ROW = (rs, ctx) -> new BulkActionRow(new BulkAction(
            rs.getString("bulk_action_id"),
            rs.getString("scope_id"),
            BulkActionKind.fromWire(rs.getString("action")),
            filterFromJson(Json.read(rs.getString("filter"))),
            rs.getString("reason"),
            BulkActionStatus.fromWire(rs.getString("status")),
            rs.getInt("matched"),
            rs.getInt("processed"),
            rs.getInt("skipped"),
            rs.getInt("failed"),
            RunMapper.instant(rs, "created_at"),
            RunMapper.instant(rs, "updated_at"),
            RunMapper.instant(rs, "finished_at")), rs.getInt("done_through"));

    /** One run of a page: its position in the snapshot and its id. */
    public record PageRun(int position, String runId) {
    }

    /** What befell one run of a page. */
    public record Outcome(int position, String outcome, String detail) {
    }

    /** The filter as stored (and shown): the wire names, unset fields left out. */
    public static ObjectNode filterToJson(BulkFilter f) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        putText(n, "service", f.service());
        putText(n, "status", f.status() == null ? null : f.status().wireName());
        putText(n, "concurrencyKey", f.concurrencyKey());
        putText(n, "tag", f.tag());
        putText(n, "parentRunId", f.parentRunId());
        putText(n, "createdAfter", Timestamps.format(f.createdAfter()));
        putText(n, "createdBefore", Timestamps.format(f.createdBefore()));
        putText(n, "health", f.health() == null ? null : f.health().wireName());
        if (f.stuckAfterSeconds() != null) {
            n.put("stuckAfterSeconds", f.stuckAfterSeconds());
        }
        if (f.silentForSeconds() != null) {
            n.put("silentForSeconds", f.silentForSeconds());
        }
        return n;
    }

    private static void putText(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    static BulkFilter filterFromJson(JsonNode n) {
        return new BulkFilter(text(n, "service"), n.hasNonNull("status") ? RunStatus.fromWire(text(n, "status")) : null,
                text(n, "concurrencyKey"), text(n, "tag"), text(n, "parentRunId"),
                Timestamps.parse(text(n, "createdAfter")), Timestamps.parse(text(n, "createdBefore")),
                n.hasNonNull("health") ? RunHealth.fromWire(text(n, "health")) : null,
                n.hasNonNull("stuckAfterSeconds") ? n.get("stuckAfterSeconds").asInt() : null,
                n.hasNonNull("silentForSeconds") ? n.get("silentForSeconds").asInt() : null);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /**
     * Snapshots the matching runs under {@code bulkActionId}, numbered 1..n in the listing's
     * order (newest first), at most {@code cap} + 1 of them (one more than allowed tells the
     * action is too large); returns how many. It selects from the very statement that lists
     * runs for the filter, so an action takes exactly the runs {@code GET /runs} shows, health
     * filters included; one statement, so one snapshot of the runs table.
     */
    public int runsSnapshot(Handle h, String scope, String bulkActionId, BulkFilter f, int cap) {
        RunFilter list = f.toRunFilter(1);
        String sql = "insert into bulk_action_runs (scope_id, bulk_action_id, position, run_id)\n"
                + "select :scope, :bulkActionId, row_number() over (order by m.created_at desc, m.run_id desc), m.run_id\n"
                + "from (" + RunStore.listSql(list) + ") m";
        return RunStore.bindList(h.createUpdate(sql), scope, list, null, null, cap + 1)
                .bind("bulkActionId", bulkActionId)
                .execute();
    }

    /** How many runs the filter matches now, counting at most {@code cap} + 1; writes nothing. */
    public int runsMatching(Handle h, String scope, BulkFilter f, int cap) {
        RunFilter list = f.toRunFilter(1);
        String sql = "select count(*) from (" + RunStore.listSql(list) + ") m";
        return RunStore.bindList(h.createQuery(sql), scope, list, null, null, cap + 1).mapTo(Integer.class).one();
    }

    public void insert(Handle h, String scope, String bulkActionId, BulkActionKind action, BulkFilter f,
                       String reason, String idempotencyKey) {
        h.createUpdate(BULK.get("bulkActionInsert"))
                .bind("scope", scope)
                .bind("bulkActionId", bulkActionId)
                .bind("action", action.wireName())
                .bind("filter", Json.write(filterToJson(f)))
                .bind("reason", reason)
                .bind("idempotencyKey", idempotencyKey)
                .execute();
    }

    public Optional<BulkActionRow> byKey(Handle h, String scope, String key) {
        return h.createQuery(BULK.get("bulkActionByKey")).bind("scope", scope).bind("key", key).map(ROW).findOne();
    }

    public BulkActionRow setMatched(Handle h, String scope, String bulkActionId, int matched) {
        return h.createQuery(BULK.get("bulkActionSetMatched"))
                .bind("scope", scope).bind("bulkActionId", bulkActionId).bind("matched", matched)
                .map(ROW).one();
    }

    /** The scope's running actions, with its row locked until commit; empty when the scope does not exist. */
    public Optional<Integer> runningLock(Handle h, String scope) {
        h.createQuery(BULK.get("bulkActionsLock")).bind("scope", scope).mapTo(String.class).one();
        return h.createQuery(BULK.get("bulkActionsRunning")).bind("scope", scope).mapTo(Integer.class).findOne();
    }

    /** The scope's running actions, without the lock; empty when the scope does not exist. */
    public Optional<Integer> running(Handle h, String scope) {
        return h.createQuery(BULK.get("bulkActionsRunning")).bind("scope", scope).mapTo(Integer.class).findOne();
    }

    public Optional<BulkActionRow> get(Handle h, String scope, String bulkActionId) {
        return h.createQuery(BULK.get("bulkActionGet")).bind("scope", scope).bind("bulkActionId", bulkActionId)
                .map(ROW).findOne();
    }

    /** One page plus one extra row, which tells whether there is a next page. */
    public List<BulkActionRow> list(Handle h, String scope, int limit, Instant cursorCreatedAt, String cursorId) {
        return h.createQuery(BULK.get("bulkActionsList"))
                .bind("scope", scope)
                .bind("cursorCreatedAt", Timestamps.format(cursorCreatedAt))
                .bind("cursorId", cursorId)
                .bind("limit", limit + 1)
                .map(ROW).list();
    }

    public Optional<BulkActionRow> cancel(Handle h, String scope, String bulkActionId) {
        return h.createQuery(BULK.get("bulkActionCancel")).bind("scope", scope).bind("bulkActionId", bulkActionId)
                .map(ROW).findOne();
    }

    /** Locks the oldest running action no other transaction holds; empty when there is none. */
    public Optional<BulkActionRow> claim(Handle h) {
        return h.createQuery(BULK.get("bulkActionClaim")).map(ROW).findOne();
    }

    public List<PageRun> page(Handle h, String scope, String bulkActionId, int after, int limit) {
        return h.createQuery(BULK.get("bulkActionPage"))
                .bind("scope", scope).bind("bulkActionId", bulkActionId).bind("after", after).bind("limit", limit)
                .map((rs, ctx) -> new PageRun(rs.getInt("position"), rs.getString("run_id"))).list();
    }

    public void record(Handle h, String scope, String bulkActionId, List<Outcome> outcomes) {
        Integer[] positions = outcomes.stream().map(Outcome::position).toArray(Integer[]::new);
        String[] kinds = outcomes.stream().map(Outcome::outcome).toArray(String[]::new);
        String[] details = outcomes.stream().map(Outcome::detail).toArray(String[]::new);
        h.createUpdate(BULK.get("bulkActionRunsRecord"))
                .bind("scope", scope).bind("bulkActionId", bulkActionId)
                .bind("positions", positions).bind("outcomes", kinds).bind("details", details)
                .execute();
    }

    public BulkActionRow advance(Handle h, String scope, String bulkActionId, int doneThrough, int processed,
                                 int skipped, int failed) {
        return h.createQuery(BULK.get("bulkActionAdvance"))
                .bind("scope", scope).bind("bulkActionId", bulkActionId).bind("doneThrough", doneThrough)
                .bind("processed", processed).bind("skipped", skipped).bind("failed", failed)
                .map(ROW).one();
    }
}

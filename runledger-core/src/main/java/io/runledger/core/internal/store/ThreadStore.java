package io.runledger.core.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.AgentThread;
import io.runledger.api.RunStatus;
import io.runledger.api.ThreadQuery;
import io.runledger.api.ThreadRun;
import io.runledger.api.ThreadStatus;
import io.runledger.core.internal.db.SqlStatements;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The {@code threads} table and the reads that derive a thread's state from its runs (by its
 * concurrency key), and {@code thread_removed_runs}.
 */
public final class ThreadStore {
    private static final SqlStatements SQL = SqlStatements.load(ThreadStore.class, "threads.sql");

    /** A thread to insert. */
    public record ThreadInsert(String scope, String threadId, String concurrencyKey, JsonNode metadata) {
    }

    /** True when the thread was inserted, false when the id was taken. */
    public boolean threadInsert(Handle h, ThreadInsert p) {
        return h.createQuery(SQL.get("threadInsert"))
                .bind("scope", p.scope()).bind("threadId", p.threadId()).bind("concurrencyKey", p.concurrencyKey())
                .bind("metadata", Json.write(p.metadata()))
                .mapTo(String.class).findOne().isPresent();
    }

    public boolean scopeExists(Handle h, String scope) {
        return h.createQuery(SQL.get("threadScopeExists")).bind("scope", scope).mapTo(Boolean.class).one();
    }

    /** The threads of one search page, with their derived state. */
    public List<AgentThread> threadsSearch(Handle h, String scope, ThreadQuery q) {
        boolean byState = q.status() != null || q.sortBy() == ThreadQuery.Sort.STATUS
                || q.sortBy() == ThreadQuery.Sort.UPDATED_AT;
        Query query = h.createQuery(SQL.get(byState ? "threadsPageByState" : "threadsPage"));
        bindFilter(query, scope, q);
        return query.bind("sortBy", q.sortBy().wireName()).bind("ascending", q.ascending())
                .bind("limit", q.limit()).bind("offset", q.offset())
                .map(ThreadStore::thread).list();
    }

    public long threadsCount(Handle h, String scope, ThreadQuery q) {
        Query query = h.createQuery(SQL.get("threadsCount"));
        bindFilter(query, scope, q);
        return query.mapTo(Long.class).one();
    }

    private static void bindFilter(Query query, String scope, ThreadQuery q) {
        JsonNode metadata = q.metadata() == null || q.metadata().isNull() ? null : q.metadata();
        query.bind("scope", scope).bind("metadata", Json.write(metadata))
                .bind("ids", q.ids() == null ? null : q.ids().toArray(String[]::new))
                .bind("status", q.status() == null ? null : q.status().wireName());
    }

    /** True when the merge was made, false when the thread is missing or the result too large. */
    public boolean threadMetadataMerge(Handle h, String scope, String threadId, JsonNode metadata, int maxBytes) {
        return h.createQuery(SQL.get("threadMetadataMerge"))
                .bind("scope", scope).bind("threadId", threadId).bind("metadata", Json.write(metadata))
                .bind("maxBytes", maxBytes)
                .mapTo(String.class).findOne().isPresent();
    }

    /** The thread's concurrency key; empty when there is no such thread. */
    public Optional<String> threadKey(Handle h, String scope, String threadId) {
        return h.createQuery(SQL.get("threadKey")).bind("scope", scope).bind("threadId", threadId)
                .mapTo(String.class).findOne();
    }

    public boolean threadDelete(Handle h, String scope, String threadId) {
        return h.createQuery(SQL.get("threadDelete")).bind("scope", scope).bind("threadId", threadId)
                .mapTo(String.class).findOne().isPresent();
    }

    /** A page of the runs with this key, newest first, without removed ones. */
    public List<ThreadRun> threadRuns(Handle h, String scope, String concurrencyKey, List<RunStatus> statuses,
                                      int limit, int offset) {
        return h.createQuery(SQL.get("threadRuns"))
                .bind("scope", scope).bind("concurrencyKey", concurrencyKey)
                .bind("statuses", statuses.isEmpty() ? null
                        : statuses.stream().map(RunStatus::wireName).toArray(String[]::new))
                .bind("limit", limit).bind("offset", offset)
                .map(ThreadStore::threadRun).list();
    }

    /** The run, if it exists and (with a key) is in that thread. */
    public Optional<ThreadRun> threadRun(Handle h, String scope, String concurrencyKey, String runId) {
        return h.createQuery(SQL.get("threadRun"))
                .bind("scope", scope).bind("concurrencyKey", concurrencyKey).bind("runId", runId)
                .map(ThreadStore::threadRun).findOne();
    }

    public void threadRunRemove(Handle h, String scope, String concurrencyKey, String runId) {
        h.createUpdate(SQL.get("threadRunRemove"))
                .bind("scope", scope).bind("concurrencyKey", concurrencyKey).bind("runId", runId)
                .execute();
    }

    private static ThreadRun threadRun(ResultSet rs, StatementContext ctx) throws SQLException {
        return new ThreadRun(RunMapper.run(rs, ctx), rs.getBoolean("interrupted"));
    }

    private static AgentThread thread(ResultSet rs, StatementContext ctx) throws SQLException {
        return new AgentThread(
                rs.getString("scope_id"),
                rs.getString("thread_id"),
                rs.getString("concurrency_key"),
                Json.read(rs.getString("metadata")),
                RunMapper.instant(rs, "created_at"),
                RunMapper.instant(rs, "updated_at"),
                ThreadStatus.valueOf(rs.getString("thread_status").toUpperCase(Locale.ROOT)),
                rs.getString("active_run_id"),
                rs.getString("last_run_id"),
                rs.getString("values_run_id"),
                Json.read(rs.getString("thread_values")));
    }
}

package io.runledger.core.internal.store;

import io.runledger.core.internal.db.SqlStatements;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Statements of retention: which terminal runs are past their service's retention, and the
 * deletes that remove such runs with everything that belongs to them.
 */
public final class RetentionStore {
    private static final SqlStatements SQL = SqlStatements.load(RetentionStore.class, "retention.sql");

    /** A service that deletes its terminal runs {@code days} after they finished. */
    public record Kept(String scope, String service, int days) {
    }

    /** A run to delete: its id, how many events it has, its command id (its idempotency key if it had one), its batch. */
    public record Candidate(String runId, long events, String commandId, String batchId) {
    }

    /** What one delete of a set of runs removed. */
    public record Deleted(long runs, long events, long deliveries) {
    }

    public List<Kept> services(Handle h) {
        return h.createQuery(SQL.get("retentionServices"))
                .map((rs, ctx) -> new Kept(rs.getString("scope_id"), rs.getString("service"),
                        rs.getInt("retention_days")))
                .list();
    }

    /** Up to {@code limit} of the service's oldest deletable runs, locked; oldest first. */
    public List<Candidate> candidates(Handle h, Kept service, int limit) {
        return h.createQuery(SQL.get("retentionCandidates"))
                .bind("scope", service.scope()).bind("service", service.service()).bind("days", service.days())
                .bind("limit", limit)
                .map((rs, ctx) -> new Candidate(rs.getString("run_id"), rs.getLong("last_seq"),
                        rs.getString("command_id"), rs.getString("batch_id")))
                .list();
    }

    /**
     * Deletes the runs (locked by {@link #candidates}) with their ledger, suspensions and
     * waits, steps, messages, waitpoints, idempotency keys, webhook deliveries, access tokens
     * and emptied batches, children before the tables they reference.
     */
    public Deleted delete(Handle h, String scope, String service, List<Candidate> runs) {
        String[] ids = runs.stream().map(Candidate::runId).toArray(String[]::new);
        h.createQuery(SQL.get("retentionAllowEventDeletes")).mapTo(String.class).one();
        for (String table : List.of("retentionDeleteRunWaits", "retentionDeleteSuspensions", "retentionDeleteSteps",
                "retentionDeleteMessages")) {
            h.createUpdate(SQL.get(table)).bind("scope", scope).bind("ids", ids).execute();
        }
        long events = h.createUpdate(SQL.get("retentionDeleteEvents")).bind("scope", scope).bind("ids", ids).execute();
        long deliveries = h.createQuery(SQL.get("retentionDeleteDeliveries")).bind("scope", scope).bind("ids", ids)
                .mapTo(Long.class).one();
        h.createUpdate(SQL.get("retentionDeleteKeys")).bind("scope", scope).bind("service", service)
                .bind("ids", ids).bind("keys", runs.stream().map(Candidate::commandId).toArray(String[]::new))
                .execute();
        h.createUpdate(SQL.get("retentionDeleteWaitpoints")).bind("scope", scope).bind("ids", ids).execute();
        h.createUpdate(SQL.get("retentionDeleteAccessTokens")).bind("scope", scope).bind("ids", ids).execute();
        long deleted = h.createUpdate(SQL.get("retentionDeleteRuns")).bind("scope", scope).bind("ids", ids).execute();
        String[] batches = runs.stream().map(Candidate::batchId).filter(b -> b != null).distinct()
                .toArray(String[]::new);
        if (batches.length > 0) {
            h.createQuery(SQL.get("retentionLockBatches")).bind("scope", scope).bind("batchIds", batches)
                    .mapTo(String.class).list();
            h.createUpdate(SQL.get("retentionDeleteBatches")).bind("scope", scope).bind("batchIds", batches)
                    .execute();
        }
        return new Deleted(deleted, events, deliveries);
    }

    /** Deletes up to {@code batch} delivered or dead webhook deliveries older than 7 days; how many. */
    public long deliveriesPurgeSettled(Handle h, int batch) {
        return h.createQuery(SQL.get("deliveriesPurgeSettled")).bind("batch", batch).mapTo(Long.class).one();
    }

    /** Deletes up to {@code batch} bulk actions finished more than 7 days ago, with their snapshots. */
    public long bulkActionsPurgeFinished(Handle h, int batch) {
        return h.createQuery(SQL.get("bulkActionsPurgeFinished")).bind("batch", batch).mapTo(Long.class).one();
    }

    /** Deletes up to {@code batch} expired run access tokens; how many. */
    public long accessTokensPurgeExpired(Handle h, int batch) {
        return h.createQuery(SQL.get("accessTokensPurgeExpired")).bind("batch", batch).mapTo(Long.class).one();
    }
}

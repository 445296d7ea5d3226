package io.runledger.core.internal.store;

import io.runledger.core.internal.db.SqlStatements;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** Statements of a scope's overview: runs per service and bucket, and per service now. */
public final class OverviewStore {
    private static final SqlStatements OVERVIEW = SqlStatements.load(OverviewStore.class, "overview.sql");

    /** Runs of a service in a bucket (counted by creation, or by settlement with their outcome). */
    public record BucketCount(String service, int bucket, String status, long runs) {
    }

    /** A service's run durations over the window, in milliseconds; null when nothing settled. */
    public record Durations(String service, Double p50Ms, Double p95Ms) {
    }

    /** A service's runs now. */
    public record Now(String service, long queued, double oldestQueuedAgeSeconds, long running, long waiting) {
    }

    /** The database's clock: the transaction's start, so every statement of it sees one now. */
    public Instant now(Handle h) {
        return h.createQuery("select now()").mapTo(Instant.class).one();
    }

    public List<BucketCount> created(Handle h, String scope, Instant from, long bucketSeconds) {
        return h.createQuery(OVERVIEW.get("overviewCreated"))
                .bind("scope", scope).bind("from", RunMapper.offset(from)).bind("bucketSeconds", bucketSeconds)
                .map((rs, ctx) -> new BucketCount(rs.getString("service"), rs.getInt("bucket"), null,
                        rs.getLong("runs")))
                .list();
    }

    public List<BucketCount> settled(Handle h, String scope, Instant from, long bucketSeconds) {
        return h.createQuery(OVERVIEW.get("overviewSettled"))
                .bind("scope", scope).bind("from", RunMapper.offset(from)).bind("bucketSeconds", bucketSeconds)
                .map((rs, ctx) -> new BucketCount(rs.getString("service"), rs.getInt("bucket"),
                        rs.getString("status"), rs.getLong("runs")))
                .list();
    }

    public List<Durations> durations(Handle h, String scope, Instant from) {
        return h.createQuery(OVERVIEW.get("overviewDurations"))
                .bind("scope", scope).bind("from", RunMapper.offset(from))
                .map((rs, ctx) -> new Durations(rs.getString("service"), (Double) rs.getObject("p50_ms"),
                        (Double) rs.getObject("p95_ms")))
                .list();
    }

    public List<Now> now(Handle h, String scope) {
        return h.createQuery(OVERVIEW.get("overviewNow"))
                .bind("scope", scope)
                .map((rs, ctx) -> new Now(rs.getString("service"), rs.getLong("queued"),
                        rs.getDouble("oldest_queued_age_seconds"), rs.getLong("running"), rs.getLong("waiting")))
                .list();
    }
}

package io.runledger.core.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.core.internal.db.SqlStatements;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Statements of a scope's overview: runs per service and bucket counted from the runs, the
 * folded half-hours of {@code run_stats}, and the fold that writes them.
 */
public final class OverviewStore {
    private static final SqlStatements OVERVIEW = SqlStatements.load(OverviewStore.class, "overview.sql");
    /** The length of a folded slot; every bucket of the windows that read slots is a multiple of it. */
    public static final java.time.Duration SLOT = java.time.Duration.ofMinutes(30);

    /** Runs of a service in the bucket that starts at {@code bucket} (by creation, or by settlement with their outcome). */
    public record BucketCount(String service, Instant bucket, String status, long runs) {
    }

    /** Runs of a service whose duration fell into a log-scale bin (see overview.sql). */
    public record DurationBin(String service, int bin, long runs) {
    }

    /** A service's runs now. */
    public record Now(String service, long queued, double oldestQueuedAgeSeconds, long running, long waiting) {
    }

    /** One folded half-hour of a service; {@code durations} maps bins to runs. */
    public record Slot(String service, Instant start, long triggered, long succeeded, long failed, long cancelled,
                       long expired, JsonNode durations) {
    }

    /** The fold's progress: every half-hour before {@code foldedUntil} is folded; null when none is. */
    public record Folded(Instant foldedUntil) {
    }

    /** The database's clock: the transaction's start, so every statement of it sees one now. */
    public Instant now(Handle h) {
        return h.createQuery("select now()").mapTo(Instant.class).one();
    }

    public List<BucketCount> created(Handle h, String scope, Instant from, Instant since, long bucketSeconds) {
        return h.createQuery(OVERVIEW.get("overviewCreated"))
                .bind("scope", scope).bind("from", RunMapper.offset(from)).bind("since", RunMapper.offset(since))
                .bind("bucketSeconds", bucketSeconds)
                .map((rs, ctx) -> new BucketCount(rs.getString("service"), RunMapper.instant(rs, "bucket"), null,
                        rs.getLong("runs")))
                .list();
    }

    public List<BucketCount> settled(Handle h, String scope, Instant from, Instant since, long bucketSeconds) {
        return h.createQuery(OVERVIEW.get("overviewSettled"))
                .bind("scope", scope).bind("from", RunMapper.offset(from)).bind("since", RunMapper.offset(since))
                .bind("bucketSeconds", bucketSeconds)
                .map((rs, ctx) -> new BucketCount(rs.getString("service"), RunMapper.instant(rs, "bucket"),
                        rs.getString("status"), rs.getLong("runs")))
                .list();
    }

    public List<DurationBin> durations(Handle h, String scope, Instant since) {
        return h.createQuery(OVERVIEW.get("overviewDurations"))
                .bind("scope", scope).bind("since", RunMapper.offset(since))
                .map((rs, ctx) -> new DurationBin(rs.getString("service"), rs.getInt("bin"), rs.getLong("runs")))
                .list();
    }

    public List<Now> now(Handle h, String scope) {
        return h.createQuery(OVERVIEW.get("overviewNow"))
                .bind("scope", scope)
                .map((rs, ctx) -> new Now(rs.getString("service"), rs.getLong("queued"),
                        rs.getDouble("oldest_queued_age_seconds"), rs.getLong("running"), rs.getLong("waiting")))
                .list();
    }

    public List<Slot> slots(Handle h, String scope, Instant from, Instant until) {
        return h.createQuery(OVERVIEW.get("statsRead"))
                .bind("scope", scope).bind("from", RunMapper.offset(from)).bind("until", RunMapper.offset(until))
                .map((rs, ctx) -> new Slot(rs.getString("service"), RunMapper.instant(rs, "slot_start"),
                        rs.getLong("triggered"), rs.getLong("succeeded"), rs.getLong("failed"),
                        rs.getLong("cancelled"), rs.getLong("expired"), Json.read(rs.getString("durations"))))
                .list();
    }

    public Folded folded(Handle h) {
        return h.createQuery(OVERVIEW.get("statsFoldedUntil"))
                .map((rs, ctx) -> new Folded(RunMapper.instant(rs, "folded_until"))).findOne()
                .orElse(new Folded(null));
    }

    /** Locks the fold's progress for this transaction; empty when another transaction holds it. */
    public Optional<Folded> foldLock(Handle h) {
        return h.createQuery(OVERVIEW.get("statsLock"))
                .map((rs, ctx) -> new Folded(RunMapper.instant(rs, "folded_until"))).findOne();
    }

    /** Folds the half-hour from {@code slot} to {@code slotEnd}; returns the service rows written. */
    public int fold(Handle h, Instant slot, Instant slotEnd) {
        return h.createUpdate(OVERVIEW.get("statsFold"))
                .bind("slot", RunMapper.offset(slot)).bind("slotEnd", RunMapper.offset(slotEnd)).execute();
    }

    public void foldedSet(Handle h, Instant until) {
        h.createUpdate(OVERVIEW.get("statsFoldedSet")).bind("until", RunMapper.offset(until)).execute();
    }

    public int purge(Handle h, Instant before) {
        return h.createUpdate(OVERVIEW.get("statsPurge")).bind("before", RunMapper.offset(before)).execute();
    }
}

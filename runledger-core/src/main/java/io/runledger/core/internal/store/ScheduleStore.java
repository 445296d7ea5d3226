package io.runledger.core.internal.store;

import io.runledger.api.RunStatus;
import io.runledger.api.Timestamps;
import io.runledger.core.internal.db.SqlStatements;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** Statements of the {@code schedules} table (control plane). */
public final class ScheduleStore {
    private static final SqlStatements SCHEDULES = SqlStatements.load(ScheduleStore.class, "schedules.sql");

    private static final RowMapper<ScheduleRow> SCHEDULE = (rs, ctx) -> new ScheduleRow(
            rs.getString("scope_id"),
            rs.getString("schedule_id"),
            rs.getString("service"),
            rs.getString("cron"),
            rs.getString("timezone"),
            Json.read(rs.getString("input")),
            rs.getBoolean("enabled"),
            rs.getString("overlap"),
            rs.getString("catch_up"),
            RunMapper.instant(rs, "next_fire_at"),
            rs.getString("last_run_id"),
            RunMapper.instant(rs, "last_fire_at"),
            RunMapper.instant(rs, "created_at"),
            RunMapper.instant(rs, "updated_at"),
            rs.getBoolean("inserted"));

    private static final RowMapper<DueSchedule> DUE = (rs, ctx) -> {
        String status = rs.getString("last_run_status");
        return new DueSchedule(SCHEDULE.map(rs, ctx), RunMapper.instant(rs, "transaction_now"),
                status == null ? null : RunStatus.fromWire(status));
    };

    public Optional<ScheduleRow> scheduleGet(Handle h, String scope, String scheduleId) {
        return h.createQuery(SCHEDULES.get("scheduleGet")).bind("scope", scope).bind("scheduleId", scheduleId)
                .map(SCHEDULE).findOne();
    }

    /** The schedule, locked until the transaction ends. */
    public Optional<ScheduleRow> scheduleLock(Handle h, String scope, String scheduleId) {
        return h.createQuery(SCHEDULES.get("scheduleLock")).bind("scope", scope).bind("scheduleId", scheduleId)
                .map(SCHEDULE).findOne();
    }

    public List<ScheduleRow> schedulesList(Handle h, String scope) {
        return h.createQuery(SCHEDULES.get("schedulesList")).bind("scope", scope).map(SCHEDULE).list();
    }

    public long schedulesCount(Handle h, String scope) {
        return h.createQuery(SCHEDULES.get("schedulesCount")).bind("scope", scope).mapTo(Long.class).one();
    }

    /** Serialises the creation of schedules in {@code scope} until the transaction ends. */
    public void schedulesCreateLock(Handle h, String scope) {
        h.createQuery(SCHEDULES.get("schedulesCreateLock")).bind("scope", scope).mapTo(Integer.class).one();
    }

    public ScheduleRow scheduleUpsert(Handle h, ScheduleUpsert p) {
        return h.createQuery(SCHEDULES.get("scheduleUpsert"))
                .bind("scope", p.scope()).bind("scheduleId", p.scheduleId()).bind("service", p.service())
                .bind("cron", p.cron()).bind("timezone", p.timezone()).bind("input", Json.write(p.input()))
                .bind("enabled", p.enabled()).bind("overlap", p.overlap()).bind("catchUp", p.catchUp())
                .bind("nextFireAt", odt(p.nextFireAt()))
                .map(SCHEDULE).one();
    }

    public boolean scheduleDelete(Handle h, String scope, String scheduleId) {
        return h.createUpdate(SCHEDULES.get("scheduleDelete")).bind("scope", scope).bind("scheduleId", scheduleId)
                .execute() > 0;
    }

    /** Locks up to {@code batch} due schedules (skipping those another pass holds). */
    public List<DueSchedule> schedulesClaimDue(Handle h, int batch) {
        return h.createQuery(SCHEDULES.get("schedulesClaimDue")).bind("batch", batch).map(DUE).list();
    }

    public void schedulesAdvance(Handle h, List<ScheduleAdvance> advances) {
        if (advances.isEmpty()) {
            return;
        }
        h.createUpdate(SCHEDULES.get("schedulesAdvance"))
                .bind("scopes", advances.stream().map(ScheduleAdvance::scope).toArray(String[]::new))
                .bind("ids", advances.stream().map(ScheduleAdvance::scheduleId).toArray(String[]::new))
                .bind("nexts", advances.stream().map(a -> Timestamps.format(a.nextFireAt())).toArray(String[]::new))
                .bind("runIds", advances.stream().map(ScheduleAdvance::lastRunId).toArray(String[]::new))
                .bind("fireAts", advances.stream().map(a -> Timestamps.format(a.lastFireAt())).toArray(String[]::new))
                .execute();
    }

    private static OffsetDateTime odt(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}

package io.runledger.core.internal.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidNameException;
import io.runledger.api.NotFoundException;
import io.runledger.api.Schedule;
import io.runledger.api.ScheduleCatchUp;
import io.runledger.api.ScheduleOverlap;
import io.runledger.api.ScheduleSpec;
import io.runledger.api.Schedules;
import io.runledger.api.ServiceInfo;
import io.runledger.core.internal.kernel.Limits;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.runs.TriggerOps;
import io.runledger.core.internal.schema.InputSchemas;
import io.runledger.core.internal.store.Json;
import io.runledger.core.internal.store.RunStore;
import io.runledger.core.internal.store.ScheduleRow;
import io.runledger.core.internal.store.ScheduleStore;
import io.runledger.core.internal.store.ScheduleUpsert;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/** Creating, replacing, reading and deleting the cron schedules of a scope. */
public final class ScheduleOps implements Schedules {
    /** Schedules one scope may hold; a list answers them all. */
    public static final int MAX_PER_SCOPE = 1000;

    private final Tx tx;
    private final ScheduleStore store;
    private final RunStore runs;
    private final TriggerOps triggers;
    private final InputSchemas schemas;
    private final Consumer<Instant> wake;

    /** @param wake told, after a PUT commits, of the schedule's next fire time */
    public ScheduleOps(Tx tx, ScheduleStore store, RunStore runs, TriggerOps triggers, InputSchemas schemas,
                       Consumer<Instant> wake) {
        this.tx = Objects.requireNonNull(tx, "tx");
        this.store = Objects.requireNonNull(store, "store");
        this.runs = Objects.requireNonNull(runs, "runs");
        this.triggers = Objects.requireNonNull(triggers, "triggers");
        this.schemas = Objects.requireNonNull(schemas, "schemas");
        this.wake = Objects.requireNonNull(wake, "wake");
    }

    @Override
    public Schedule put(String scope, String scheduleId, ScheduleSpec spec) {
        InvalidNameException.requireValid("scope", scope);
        InvalidNameException.requireValid("schedule", scheduleId);
        if (spec == null) {
            throw new InvalidArgumentException("a schedule spec is required");
        }
        if (spec.service() == null) {
            throw new InvalidArgumentException("service is required");
        }
        InvalidNameException.requireValid("service", spec.service());
        String timezone = spec.timezone() == null ? ScheduleSpec.DEFAULT_TIMEZONE : spec.timezone();
        CronSchedule cron = CronSchedule.parse(spec.cron(), timezone);
        JsonNode input = spec.input() == null ? Json.MAPPER.nullNode() : spec.input();
        Limits.requireSize("input", input, Limits.MAX_INPUT_BYTES);
        boolean enabled = spec.enabled() == null || spec.enabled();
        ScheduleOverlap overlap = spec.overlap() == null ? ScheduleOverlap.ALLOW : spec.overlap();
        ScheduleCatchUp catchUp = spec.catchUp() == null ? ScheduleCatchUp.LATEST : spec.catchUp();
        ScheduleRow row = tx.run((h, changes) -> {
            ServiceInfo service = triggers.requireService(h, scope, spec.service());
            // Every fire is checked against the schema; refusing here beats a schedule that never fires.
            schemas.requireValid(service.inputSchema(), input);
            Optional<ScheduleRow> existing = store.scheduleLock(h, scope, scheduleId);
            if (existing.isEmpty()) {
                store.schedulesCreateLock(h, scope);
                if (store.schedulesCount(h, scope) >= MAX_PER_SCOPE) {
                    throw new InvalidArgumentException("a scope holds at most " + MAX_PER_SCOPE + " schedules");
                }
            }
            return store.scheduleUpsert(h, new ScheduleUpsert(scope, scheduleId, spec.service(), cron.expression(),
                    timezone, input, enabled, overlap.wireName(), catchUp.wireName(),
                    nextFireAt(h, existing, cron, timezone, enabled)));
        });
        if (row.nextFireAt() != null) {
            wake.accept(row.nextFireAt());
        }
        return schedule(row);
    }

    /**
     * Kept when the schedule fires on the same times as before (enabled before and now, same
     * expression and zone), so a repeated PUT changes nothing and a due time is not lost;
     * otherwise the first time after now on the database's clock; none while disabled.
     */
    private Instant nextFireAt(org.jdbi.v3.core.Handle h, Optional<ScheduleRow> existing, CronSchedule cron,
                               String timezone, boolean enabled) {
        if (!enabled) {
            return null;
        }
        if (existing.isPresent()) {
            ScheduleRow before = existing.get();
            if (before.enabled() && before.nextFireAt() != null && before.cron().equals(cron.expression())
                    && before.timezone().equals(timezone)) {
                return before.nextFireAt();
            }
        }
        return cron.nextAfter(runs.now(h)).orElse(null);
    }

    @Override
    public Schedule get(String scope, String scheduleId) {
        InvalidNameException.requireValid("scope", scope);
        InvalidNameException.requireValid("schedule", scheduleId);
        return tx.read(h -> store.scheduleGet(h, scope, scheduleId).map(ScheduleOps::schedule)
                .orElseThrow(() -> notFound(scheduleId)));
    }

    @Override
    public List<Schedule> list(String scope) {
        InvalidNameException.requireValid("scope", scope);
        return tx.read(h -> store.schedulesList(h, scope).stream().map(ScheduleOps::schedule).toList());
    }

    @Override
    public void delete(String scope, String scheduleId) {
        InvalidNameException.requireValid("scope", scope);
        InvalidNameException.requireValid("schedule", scheduleId);
        if (!tx.run((h, changes) -> store.scheduleDelete(h, scope, scheduleId))) {
            throw notFound(scheduleId);
        }
    }

    private static NotFoundException notFound(String scheduleId) {
        return NotFoundException.of("schedule_not_found", "schedule '" + scheduleId + "' does not exist");
    }

    static Schedule schedule(ScheduleRow r) {
        return new Schedule(r.scope(), r.scheduleId(), r.service(), r.cron(), r.timezone(), r.input(), r.enabled(),
                ScheduleOverlap.fromWire(r.overlap()), ScheduleCatchUp.fromWire(r.catchUp()), r.nextFireAt(),
                r.lastRunId(), r.lastFireAt(), r.createdAt(), r.updatedAt(), r.inserted());
    }
}

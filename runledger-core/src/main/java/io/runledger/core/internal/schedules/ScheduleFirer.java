package io.runledger.core.internal.schedules;

import io.runledger.api.RunStatus;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.Receipt;
import io.runledger.api.ScheduleCatchUp;
import io.runledger.api.ScheduleOverlap;
import io.runledger.api.Timestamps;
import io.runledger.api.TriggerRequest;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.runs.TriggerOps;
import io.runledger.core.internal.store.DueSchedule;
import io.runledger.core.internal.store.Json;
import io.runledger.core.internal.store.ScheduleAdvance;
import io.runledger.core.internal.store.ScheduleRow;
import io.runledger.core.internal.store.ScheduleStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires due schedules. Any instance may run a pass: it locks up to a batch of due schedules
 * (SKIP LOCKED, so instances share the work and never wait for each other) and, in the same
 * transaction, triggers each fire through the engine's own trigger path with the idempotency
 * key {@code schedule/{id}/{fireAt}} (receipt, {@code run.accepted}, idempotency row and
 * NOTIFY as for any trigger) and moves the schedules' next fire time on. A fire time is
 * therefore taken by one pass, and even two passes that raced would register one run.
 * After the commit the instance's timer is set to the new next fire times, so a schedule
 * firing every second fires every second rather than at the next periodic pass.
 */
public final class ScheduleFirer {
    private static final Logger log = LoggerFactory.getLogger(ScheduleFirer.class);
    private static final String SAVEPOINT = "schedule_fire";

    private final Tx tx;
    private final ScheduleStore store;
    private final TriggerOps triggers;
    private final int batchSize;
    private final Consumer<Instant> wake;
    /** Where fires create their runs when that is not this engine's database (a split); null: here. */
    private volatile Target target;

    /**
     * Another engine that takes the fires (the runs database of a split): the run is
     * registered there with the fire's idempotency key, in its own transaction, before this
     * one moves the schedule on; if this one then fails, the next pass fires the same time
     * again and gets the first run back. So a fire time still makes exactly one run.
     */
    public interface Target {
        /** Registers a fire's run, as a trigger. */
        Receipt trigger(String scope, String service, TriggerRequest request);

        /** The status of a run registered there; null if it has none. */
        RunStatus status(String scope, String runId);
    }

    /** From now on, fires create their runs on {@code target}. */
    public void target(Target target) {
        this.target = target;
    }

    /** @param wake told, after each commit, of the next fire times the pass set */
    public ScheduleFirer(Tx tx, ScheduleStore store, TriggerOps triggers, int batchSize, Consumer<Instant> wake) {
        this.tx = Objects.requireNonNull(tx, "tx");
        this.store = Objects.requireNonNull(store, "store");
        this.triggers = Objects.requireNonNull(triggers, "triggers");
        this.batchSize = batchSize;
        this.wake = Objects.requireNonNull(wake, "wake");
    }

    /** The idempotency key of one fire time: {@code schedule/{id}/{fireAt}}. */
    public static String fireKey(String scheduleId, Instant fireAt) {
        return "schedule/" + scheduleId + "/" + Timestamps.format(fireAt);
    }

    /** Fires everything due now, a batch per transaction, until nothing due is left unlocked. */
    public SchedulePass runOnce() {
        SchedulePass total = SchedulePass.NONE;
        while (true) {
            List<ScheduleAdvance> advances = new ArrayList<>();
            Map<List<String>, Integer> fired = new LinkedHashMap<>();
            SchedulePass pass = tx.run((h, changes) -> {
                advances.clear();
                fired.clear();
                SchedulePass result = SchedulePass.NONE;
                for (DueSchedule due : store.schedulesClaimDue(h, batchSize)) {
                    result = result.plus(fire(h, changes, due, advances, fired));
                }
                store.schedulesAdvance(h, advances);
                return result;
            });
            for (ScheduleAdvance a : advances) {
                if (a.nextFireAt() != null) {
                    wake.accept(a.nextFireAt());
                }
            }
            fired.forEach((k, n) -> {
                try {
                    tx.listener().schedulesFired(k.get(0), k.get(1), n);
                } catch (RuntimeException e) {
                    // metrics must never fail a pass that committed
                }
            });
            total = total.plus(pass);
            if (pass.claimed() < batchSize) {
                return total;
            }
        }
    }

    private SchedulePass fire(Handle h, Tx.Changes changes, DueSchedule due, List<ScheduleAdvance> advances,
                              Map<List<String>, Integer> firedPerService) {
        ScheduleRow s = due.row();
        CronSchedule cron;
        try {
            cron = CronSchedule.parse(s.cron(), s.timezone());
        } catch (RuntimeException e) {
            // Stored once valid, now refused (say a time zone this JVM no longer knows): it
            // stops firing, visibly (nextFireAt null), until it is PUT again.
            log.warn("schedule {}/{} cannot be read any more and stops firing: {}", s.scope(), s.scheduleId(),
                    e.getMessage());
            advances.add(new ScheduleAdvance(s.scope(), s.scheduleId(), null, null, null));
            return new SchedulePass(1, 0, 0, 0, 1);
        }
        FirePlan plan = FirePlan.of(cron, s.nextFireAt(), due.now(), ScheduleCatchUp.fromWire(s.catchUp()));
        boolean skipOverlap = ScheduleOverlap.fromWire(s.overlap()) == ScheduleOverlap.SKIP;
        RunStatus last = due.lastRunStatus();
        Target elsewhere = target;
        if (last == null && elsewhere != null && s.lastRunId() != null) {
            last = elsewhere.status(s.scope(), s.lastRunId());
        }
        boolean running = last != null && !last.isTerminal();
        int fired = 0;
        int skipped = 0;
        int refused = 0;
        String lastRunId = null;
        Instant lastFireAt = null;
        for (Instant fireAt : plan.fires()) {
            if (skipOverlap && running) {
                skipped++;
                continue;
            }
            Receipt receipt = trigger(h, changes, s, fireAt);
            if (receipt == null) {
                refused++;
                continue;
            }
            lastRunId = receipt.runId();
            lastFireAt = fireAt;
            running = !receipt.status().isTerminal();
            if (!receipt.replayed()) {
                fired++;
            }
        }
        if (plan.missed()) {
            log.info("schedule {}/{} missed fire times from {} to {} (catchUp {}): {}", s.scope(), s.scheduleId(),
                    Timestamps.format(s.nextFireAt()), Timestamps.format(due.now()), s.catchUp(),
                    plan.fires().isEmpty() ? "none fired" : "fired " + Timestamps.format(plan.fires().getFirst()));
        }
        if (fired > 0) {
            firedPerService.merge(List.of(s.scope(), s.service()), fired, Integer::sum);
        }
        advances.add(new ScheduleAdvance(s.scope(), s.scheduleId(), plan.next(), lastRunId, lastFireAt));
        return new SchedulePass(1, fired, skipped, plan.missed() ? 1 : 0, refused);
    }

    /**
     * One fire through the trigger path, in a savepoint: a fire the engine refuses (the input
     * no longer matches the service's schema, say) is logged and passed over without undoing
     * the rest of the pass. Returns null when refused.
     */
    private Receipt trigger(Handle h, Tx.Changes changes, ScheduleRow s, Instant fireAt) {
        ObjectNode metadata = Json.MAPPER.createObjectNode()
                .put("scheduleId", s.scheduleId())
                .put("fireAt", Timestamps.format(fireAt));
        TriggerRequest request = TriggerRequest.builder()
                .input(s.input())
                .idempotencyKey(fireKey(s.scheduleId(), fireAt))
                .metadata(metadata)
                .build();
        Target elsewhere = target;
        if (elsewhere != null) {
            try {
                return elsewhere.trigger(s.scope(), s.service(), request);
            } catch (RuntimeException e) {
                log.warn("schedule {}/{} could not fire at {}: {}", s.scope(), s.scheduleId(),
                        Timestamps.format(fireAt), e.getMessage());
                return null;
            }
        }
        h.savepoint(SAVEPOINT);
        try {
            Receipt receipt = triggers.register(h, changes, s.scope(), s.service(), request, triggers.ids().run(), null);
            h.release(SAVEPOINT);
            return receipt;
        } catch (RuntimeException e) {
            h.rollbackToSavepoint(SAVEPOINT);
            log.warn("schedule {}/{} could not fire at {}: {}", s.scope(), s.scheduleId(), Timestamps.format(fireAt),
                    e.getMessage());
            return null;
        }
    }
}

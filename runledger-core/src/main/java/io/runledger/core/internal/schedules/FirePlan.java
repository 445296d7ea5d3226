package io.runledger.core.internal.schedules;

import io.runledger.api.ScheduleCatchUp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a firing pass does with one due schedule: the fire times to trigger now, whether fire
 * times were missed (left unfired, or folded into the latest), and the next fire time after
 * this pass (null if the expression has none).
 *
 * <p>Late or missed: a pass that finds only one due time fires it, however late. When the
 * time after it is due as well, the pass is either a moment late (that later time is overdue
 * by less than {@link #GRACE}: a pause, a slow pass) and fires every due time, or the
 * schedule was not served for longer than its period (an outage, all instances stopped):
 * then the earlier times count as missed, and catch-up {@code latest} fires the most recent
 * due time once, {@code none} fires none of them. Either way the next fire time is the first
 * one after now.
 */
public record FirePlan(List<Instant> fires, boolean missed, Instant next) {
    /** How overdue a second due time may be and still count as late rather than missed. */
    static final Duration GRACE = Duration.ofSeconds(1);
    /** The most due times a late pass fires at once; past it they count as missed. */
    static final int MAX_LATE_FIRES = 5;

    public FirePlan {
        fires = List.copyOf(fires);
    }

    /** The plan for a schedule due at {@code due} (at or before {@code now}). */
    public static FirePlan of(CronSchedule cron, Instant due, Instant now, ScheduleCatchUp catchUp) {
        Instant following = cron.nextAfter(due).orElse(null);
        if (following == null || following.isAfter(now)) {
            return new FirePlan(List.of(due), false, following);
        }
        if (Duration.between(following, now).compareTo(GRACE) < 0) {
            List<Instant> fires = new ArrayList<>(List.of(due));
            Instant t = following;
            while (t != null && !t.isAfter(now) && fires.size() < MAX_LATE_FIRES) {
                fires.add(t);
                t = cron.nextAfter(t).orElse(null);
            }
            if (t == null || t.isAfter(now)) {
                return new FirePlan(fires, false, t);
            }
        }
        Instant next = cron.nextAfter(now).orElse(null);
        if (catchUp == ScheduleCatchUp.NONE) {
            return new FirePlan(List.of(), true, next);
        }
        Instant latest = cron.latestAtOrBefore(now).filter(t -> !t.isBefore(due)).orElse(due);
        return new FirePlan(List.of(latest), true, next);
    }
}

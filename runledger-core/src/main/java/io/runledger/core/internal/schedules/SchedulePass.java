package io.runledger.core.internal.schedules;

/**
 * What one firing pass did: schedules it claimed, runs it triggered, fire times it let pass
 * because the previous run was still going (overlap {@code skip}), schedules whose missed
 * times it caught up on or dropped, and fires the engine refused (e.g. the input no longer
 * matches the service's schema).
 */
public record SchedulePass(int claimed, int fired, int skipped, int caughtUp, int refused) {
    public static final SchedulePass NONE = new SchedulePass(0, 0, 0, 0, 0);

    public SchedulePass plus(SchedulePass o) {
        return new SchedulePass(claimed + o.claimed, fired + o.fired, skipped + o.skipped, caughtUp + o.caughtUp,
                refused + o.refused);
    }
}

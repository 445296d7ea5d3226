package io.runledger.api;

import java.util.List;

/**
 * Cron schedules of a scope. Each fire time triggers one run of the schedule's service with
 * the idempotency key {@code schedule/{scheduleId}/{fireAt}} (the fire time in RFC 3339 UTC
 * with six fractional digits), so however many instances share the database, a time fires
 * at most once.
 */
public interface Schedules {

    /**
     * Creates or replaces a schedule. The next fire time is computed from now when the
     * schedule is new, enabled again, or its cron or time zone changed; a PUT that changes
     * none of these keeps it, so repeating a PUT changes nothing. A scope holds at most 1,000
     * schedules.
     *
     * @param scope the scope
     * @param scheduleId the schedule's id, a name
     * @param spec its service, cron, time zone, input and policies
     * @return the schedule with its next fire time
     */
    Schedule put(String scope, String scheduleId, ScheduleSpec spec);

    /**
     * A schedule with its next fire time and its last run.
     *
     * @param scope the scope
     * @param scheduleId the schedule
     * @return it
     * @throws NotFoundException if there is no such schedule in the scope
     */
    Schedule get(String scope, String scheduleId);

    /**
     * Every schedule of the scope, by id.
     *
     * @param scope the scope
     * @return the schedules
     */
    List<Schedule> list(String scope);

    /**
     * Deletes the schedule; runs it triggered are left as they are.
     *
     * @param scope the scope
     * @param scheduleId the schedule
     * @throws NotFoundException if there is no such schedule in the scope
     */
    void delete(String scope, String scheduleId);
}

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
     */
    Schedule put(String scope, String scheduleId, ScheduleSpec spec);

    Schedule get(String scope, String scheduleId);

    /** Every schedule of the scope, by id. */
    List<Schedule> list(String scope);

    /** Deletes the schedule; runs it triggered are left as they are. */
    void delete(String scope, String scheduleId);
}

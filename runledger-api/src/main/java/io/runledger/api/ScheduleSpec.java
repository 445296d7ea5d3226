package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A schedule as set with a PUT: the service it triggers, a cron expression (five fields,
 * minute to day of week, or six with seconds first), the IANA time zone it is read in, the
 * input of every run it triggers, and its policies. Null fields take the defaults: time zone
 * {@code UTC}, input JSON null, enabled, overlap {@link ScheduleOverlap#ALLOW}, catch-up
 * {@link ScheduleCatchUp#LATEST}.
 *
 * @param service the service whose runs it triggers
 * @param cron when: five cron fields, or six with seconds first
 * @param timezone the IANA zone the cron is read in; null: UTC
 * @param input the input of each run; null: JSON null
 * @param enabled whether it fires; null: yes
 * @param overlap what a fire does while the previous run has not settled; null: allow
 * @param catchUp what happens to fire times missed while no instance ran; null: latest
 */
public record ScheduleSpec(String service, String cron, String timezone, JsonNode input, Boolean enabled,
                           ScheduleOverlap overlap, ScheduleCatchUp catchUp) {

    /** The time zone of a schedule that names none. */
    public static final String DEFAULT_TIMEZONE = "UTC";

    /**
     * An enabled schedule in UTC with the default policies.
     *
     * @param service the service whose runs it triggers
     * @param cron when: five cron fields, or six with seconds first
     * @param input the input of each run
     * @return the spec
     */
    public static ScheduleSpec of(String service, String cron, JsonNode input) {
        return new ScheduleSpec(service, cron, null, input, null, null, null);
    }
}

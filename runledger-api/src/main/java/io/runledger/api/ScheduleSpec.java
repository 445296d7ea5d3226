package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A schedule as set with a PUT: the service it triggers, a cron expression (five fields,
 * minute to day of week, or six with seconds first), the IANA time zone it is read in, the
 * input of every run it triggers, and its policies. Null fields take the defaults: time zone
 * {@code UTC}, input JSON null, enabled, overlap {@link ScheduleOverlap#ALLOW}, catch-up
 * {@link ScheduleCatchUp#LATEST}.
 */
public record ScheduleSpec(String service, String cron, String timezone, JsonNode input, Boolean enabled,
                           ScheduleOverlap overlap, ScheduleCatchUp catchUp) {

    public static final String DEFAULT_TIMEZONE = "UTC";

    /** An enabled schedule in UTC with the default policies. */
    public static ScheduleSpec of(String service, String cron, JsonNode input) {
        return new ScheduleSpec(service, cron, null, input, null, null, null);
    }
}

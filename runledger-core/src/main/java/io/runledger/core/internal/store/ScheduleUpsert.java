package io.runledger.core.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** The parameters of {@code scheduleUpsert}; overlap and catch-up in their wire names. */
public record ScheduleUpsert(String scope, String scheduleId, String service, String cron, String timezone,
                            JsonNode input, boolean enabled, String overlap, String catchUp, Instant nextFireAt) {
}

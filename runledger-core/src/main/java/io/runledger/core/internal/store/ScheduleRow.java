package io.runledger.core.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A row of {@code schedules}; {@code inserted} is true only from an upsert that created it. */
public record ScheduleRow(String scope, String scheduleId, String service, String cron, String timezone,
                          JsonNode input, boolean enabled, String overlap, String catchUp, Instant nextFireAt,
                          String lastRunId, Instant lastFireAt, Instant createdAt, Instant updatedAt,
                          boolean inserted) {
}

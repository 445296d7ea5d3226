package io.runledger.server.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.ScheduleCatchUp;
import io.runledger.api.ScheduleOverlap;
import java.time.Instant;

/** A cron schedule with its next fire time. */
public record ScheduleView(
        String scheduleId,
        String scope,
        String service,
        String cron,
        String timezone,
        JsonNode input,
        boolean enabled,
        ScheduleOverlap overlap,
        ScheduleCatchUp catchUp,
        @Nullable Instant nextFireAt,
        @Nullable String lastRunId,
        @Nullable Instant lastFireAt,
        Instant createdAt,
        Instant updatedAt) {
}

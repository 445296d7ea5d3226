package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A schedule of a scope: its spec with the defaults filled in, the next time it fires
 * ({@code null} while disabled), and the run and fire time of its last fire ({@code null}
 * before the first). {@code created} is true only in the answer to the PUT that created it.
 */
public record Schedule(String scope, String scheduleId, String service, String cron, String timezone,
                       JsonNode input, boolean enabled, ScheduleOverlap overlap, ScheduleCatchUp catchUp,
                       Instant nextFireAt, String lastRunId, Instant lastFireAt, Instant createdAt,
                       Instant updatedAt, boolean created) {
}

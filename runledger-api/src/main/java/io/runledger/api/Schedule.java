package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A schedule of a scope: its spec with the defaults filled in, the next time it fires
 * ({@code null} while disabled), and the run and fire time of its last fire ({@code null}
 * before the first). {@code created} is true only in the answer to the PUT that created it.
 *
 * @param scope the scope
 * @param scheduleId its id
 * @param service the service whose runs it triggers
 * @param cron when it fires
 * @param timezone the IANA zone the cron is read in
 * @param input the input of each run
 * @param enabled whether it fires
 * @param overlap what a fire does while the previous run has not settled
 * @param catchUp what happens to missed fire times
 * @param nextFireAt when it fires next; null while disabled
 * @param lastRunId the run of its last fire, or null
 * @param lastFireAt its last fire time, or null
 * @param createdAt when it was created
 * @param updatedAt when it was last changed
 * @param created true only in the answer to the PUT that created it
 */
public record Schedule(String scope, String scheduleId, String service, String cron, String timezone,
                       JsonNode input, boolean enabled, ScheduleOverlap overlap, ScheduleCatchUp catchUp,
                       Instant nextFireAt, String lastRunId, Instant lastFireAt, Instant createdAt,
                       Instant updatedAt, boolean created) {
}

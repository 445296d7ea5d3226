package io.runledger.core.internal.store;

import io.runledger.api.RunStatus;
import java.time.Instant;

/**
 * A due schedule claimed by a firing pass: the row, the transaction's {@code now()} and the
 * status of the run its last fire triggered (null if none, or if that run is gone).
 */
public record DueSchedule(ScheduleRow row, Instant now, RunStatus lastRunStatus) {
}

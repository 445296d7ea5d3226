package io.runledger.core.internal.store;

import java.time.Instant;

/**
 * A claimed schedule after a firing pass: its next fire time (null: none), and the run and
 * fire time of its last fire in this pass (null when it did not fire: the previous ones stay).
 */
public record ScheduleAdvance(String scope, String scheduleId, Instant nextFireAt, String lastRunId,
                              Instant lastFireAt) {
}

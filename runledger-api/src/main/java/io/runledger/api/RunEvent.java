package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One entry of a run's append-only ledger; {@code seq} is 1, 2, 3 ... without gaps.
 *
 * @param runId the run
 * @param seq its position in the run's ledger, from 1
 * @param type what happened, e.g. {@code run.started} or {@code output.delta}
 * @param schemaVersion the version of the shape of {@code data} for this type
 * @param data what the event carries
 * @param createdAt when it was appended (database clock)
 */
public record RunEvent(String runId, long seq, String type, int schemaVersion, JsonNode data, Instant createdAt) {

    /** {@return true if this event settled the run (succeeded, failed, cancelled or expired)} */
    public boolean isTerminal() {
        return EventTypes.isTerminal(type);
    }
}

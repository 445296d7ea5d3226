package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One entry of a run's append-only ledger; {@code seq} is 1, 2, 3 ... without gaps. */
public record RunEvent(String runId, long seq, String type, int schemaVersion, JsonNode data, Instant createdAt) {

    public boolean isTerminal() {
        return EventTypes.isTerminal(type);
    }
}

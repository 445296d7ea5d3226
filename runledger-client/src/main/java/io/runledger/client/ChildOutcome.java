package io.runledger.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.RunError;
import io.runledger.api.RunStatus;

/** How a child run awaited by {@link RunContext#triggerAndWait} ended: its terminal status, output and error. */
public record ChildOutcome(String runId, RunStatus status, JsonNode output, RunError error) {

    public boolean succeeded() {
        return status == RunStatus.SUCCEEDED;
    }
}

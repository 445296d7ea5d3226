package io.runledger.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.RunError;
import io.runledger.api.RunStatus;

/**
 * How a child run awaited by {@link RunContext#triggerAndWait} ended: its terminal status, output and error.
 *
 * @param runId the child run
 * @param status its terminal status
 * @param output its output if it succeeded, else null
 * @param error its error if it failed or was cancelled, else null
 */
public record ChildOutcome(String runId, RunStatus status, JsonNode output, RunError error) {

    /** {@return true if the child succeeded} */
    public boolean succeeded() {
        return status == RunStatus.SUCCEEDED;
    }
}

package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One waitpoint's result as a resumed run sees it: {@code completed} with its data, or {@code timed_out}.
 *
 * @param waitpointId the waitpoint
 * @param kind what it waited for
 * @param status {@code completed} or {@code timed_out}
 * @param data its result when completed; null when it timed out
 */
public record WaitResult(String waitpointId, WaitpointKind kind, WaitpointStatus status, JsonNode data) {
}

package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;

/** One waitpoint's result as a resumed run sees it: {@code completed} with its data, or {@code timed_out}. */
public record WaitResult(String waitpointId, WaitpointKind kind, WaitpointStatus status, JsonNode data) {
}

package io.runledger.server.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.WaitpointKind;
import io.runledger.api.WaitpointStatus;

/** One waitpoint's result, as a suspend answer and a lease's {@code resumed} carry it. */
public record WaitResultView(
        String waitpointId,
        @Nullable WaitpointKind kind,
        @Nullable WaitpointStatus status,
        JsonNode data) {
}

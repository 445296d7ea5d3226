package io.runledger.server.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.WaitpointKind;
import io.runledger.api.WaitpointStatus;
import java.time.Instant;

/** What a key-less callback is answered: whether its completion holds, nothing of the scope. */
public record CallbackAnswerView(
        String waitpointId,
        WaitpointKind kind,
        WaitpointStatus status,
        JsonNode data,
        @Nullable Instant completedAt) {
}

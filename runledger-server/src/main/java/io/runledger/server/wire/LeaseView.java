package io.runledger.server.wire;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A leased run: what its worker needs, including every recorded step and resume result. */
public record LeaseView(
        String runId,
        String service,
        JsonNode input,
        int attempt,
        String leaseToken,
        Instant leaseExpiresAt,
        @JsonPropertyDescription("each completed step's output, by step name") Map<String, JsonNode> steps,
        @JsonPropertyDescription("the results of each completed suspend, by step name")
        Map<String, List<WaitResultView>> resumed,
        @JsonPropertyDescription("false when the steps did not fit; page them with GET .../steps") boolean stepsComplete) {
}

package io.runledger.server.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.runledger.api.RunStatus;

/** One item of a batched complete or fail: the run's outcome, or under {@code error} the
 * problem the single call would have answered.
 */
public record SettlementItemView(
        String runId,
        @JsonInclude(JsonInclude.Include.NON_NULL) RunStatus status,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer attempt,
        @JsonInclude(JsonInclude.Include.NON_NULL) ProblemView error) {
}

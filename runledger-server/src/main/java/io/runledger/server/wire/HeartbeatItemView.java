package io.runledger.server.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** One item of a batched heartbeat: the heartbeat, or under {@code error} the problem the
 * single call would have answered.
 */
public record HeartbeatItemView(
        String runId,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant leaseExpiresAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean stopRequested,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<RunMessageView> messages,
        @JsonInclude(JsonInclude.Include.NON_NULL) ProblemView error) {
}

package io.runledger.server.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.runledger.api.RunHealth;
import io.runledger.api.RunStatus;
import java.time.Instant;

/** Which runs a bulk action matched when it was created. */
public record BulkFilterView(
        @Nullable String service,
        @Nullable RunStatus status,
        @Nullable String concurrencyKey,
        @Nullable String tag,
        @Nullable String parentRunId,
        @Nullable Instant createdAfter,
        @Nullable Instant createdBefore,
        @Nullable RunHealth health,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer stuckAfterSeconds,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer silentForSeconds) {
}

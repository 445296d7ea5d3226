package io.runledger.server.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A health probe's answer. */
public record HealthView(
        @OneOf({"live", "ready"}) String status,
        @JsonPropertyDescription("the database schema's version (readiness only)")
        @JsonInclude(JsonInclude.Include.NON_NULL) String schemaVersion) {
}

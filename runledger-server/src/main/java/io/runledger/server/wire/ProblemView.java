package io.runledger.server.wire;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/**
 * An RFC 9457 problem document, the one shape of every refusal. {@code code} is the stable
 * machine-readable reason; {@code details} are written as members of their own next to it
 * (e.g. {@code activeRunId} of a {@code concurrency_conflict}, {@code field} of an
 * {@code unknown_field}).
 */
@JsonClassDescription("An RFC 9457 problem document; code is the stable reason. Other members carry the"
        + " problem's details (activeRunId, runStatus, field, retryAfterSeconds, problems...)")
public record ProblemView(
        @JsonPropertyDescription("urn:runledger:problem: followed by the code") String type,
        String title,
        int status,
        String detail,
        @JsonPropertyDescription("the request path (a callback's secret redacted)")
        @JsonInclude(JsonInclude.Include.NON_NULL) String instance,
        String code,
        @JsonAnyGetter Map<String, Object> details) {
}

package io.runledger.server.wire;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/** A token waitpoint just created, with its callback URL (shown this once). */
public record CreatedWaitpointView(
        @JsonUnwrapped WaitpointView waitpoint,
        @JsonPropertyDescription("POST any JSON here to complete the token without a key") String callbackUrl) {
}

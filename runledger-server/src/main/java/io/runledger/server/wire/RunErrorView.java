package io.runledger.server.wire;

import com.fasterxml.jackson.databind.JsonNode;

/** Why a run failed. */
public record RunErrorView(
        String code,
        String message,
        JsonNode detail) {
}

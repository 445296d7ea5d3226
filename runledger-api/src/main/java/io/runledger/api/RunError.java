package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * Why a run failed or was cancelled: a stable {@code code}, a human message and an
 * optional structured detail.
 */
public record RunError(String code, String message, JsonNode detail) {
    public RunError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    public static RunError of(String code, String message) {
        return new RunError(code, message, null);
    }
}

package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * Why a run failed or was cancelled: a stable {@code code}, a human message and an
 * optional structured detail.
 *
 * @param code the stable code, e.g. {@code command_failed}
 * @param message what happened, for people
 * @param detail structured detail, or null
 */
public record RunError(String code, String message, JsonNode detail) {
    /** Requires a code and a message. */
    public RunError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /**
     * An error without detail.
     *
     * @param code the stable code
     * @param message what happened
     * @return the error
     */
    public static RunError of(String code, String message) {
        return new RunError(code, message, null);
    }
}

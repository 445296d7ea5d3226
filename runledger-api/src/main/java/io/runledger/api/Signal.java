package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A signal to send: a type ({@code [a-z0-9._-]}, e.g. {@code user.message}), its data and a
 * severity ({@code info}, {@code warning}, {@code critical}; null means {@code info}).
 *
 * @param type what kind of signal it is, e.g. {@code user.message}
 * @param data its content, any JSON (may be null)
 * @param severity {@code info}, {@code warning} or {@code critical}; null means {@code info}
 */
public record Signal(String type, JsonNode data, String severity) {

    /**
     * A signal of severity {@code info}.
     *
     * @param type what kind of signal it is, e.g. {@code user.message}
     * @param data its content, any JSON (may be null)
     * @return the signal
     */
    public static Signal of(String type, JsonNode data) {
        return new Signal(type, data, null);
    }
}

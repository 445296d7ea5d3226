package io.runledger.api;

import java.util.Locale;

/** What a suspended run does when its suspend's timeout passes before its waitpoints complete. */
public enum OnTimeout {
    /** Resume; the waitpoints still pending are reported {@code timed_out}. */
    RESUME,
    /** Fail the run with code {@code waitpoint_timeout}. */
    FAIL;

    /**
     * {@return the name on the wire and in the database: the constant's name in lower case, e.g. {@code
     * resume}}
     */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The constant whose {@link #wireName()} is {@code value}.
     *
     * @param value a wire name, e.g. from a request
     * @return the mode it names
     * @throws InvalidArgumentException if it names none
     */
    public static OnTimeout fromWire(String value) {
        for (OnTimeout mode : values()) {
            if (mode.wireName().equals(value)) {
                return mode;
            }
        }
        throw new InvalidArgumentException("onTimeout must be one of resume, fail");
    }
}

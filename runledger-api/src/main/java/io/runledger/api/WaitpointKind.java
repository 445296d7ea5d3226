package io.runledger.api;

import java.util.Locale;

/** What a waitpoint waits for. */
public enum WaitpointKind {
    /** A point in time ({@code seconds} from the suspend, or {@code until}). */
    DURATION,
    /** A call: {@code POST /waitpoints/{id}/complete} or a POST to its callback URL. */
    TOKEN,
    /** Another run settling; the result is its status, output and error. */
    RUN,
    /** Every run of a batch settling; the result lists their outcomes. */
    BATCH;

    /**
     * {@return the name on the wire and in the database: the constant's name in lower case, e.g. {@code
     * token}}
     */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The constant whose {@link #wireName()} is {@code value}.
     *
     * @param value a wire name, e.g. from a request
     * @return the kind it names
     * @throws InvalidArgumentException if it names none
     */
    public static WaitpointKind fromWire(String value) {
        for (WaitpointKind kind : values()) {
            if (kind.wireName().equals(value)) {
                return kind;
            }
        }
        throw new InvalidArgumentException("waitpoint kind must be one of duration, token, run, batch");
    }
}

package io.runledger.api;

import java.util.Locale;

/** What a bulk action does to each run it matched. */
public enum BulkActionKind {
    /** Cancel each run as a cancel does (without cascading to its children). */
    CANCEL,
    /** Replay each run: a new run of its service with its input, naming it in {@code replayOf}. */
    REPLAY;

    /**
     * {@return the name on the wire and in the database: the constant's name in lower case, e.g. {@code
     * replay}}
     */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The constant whose {@link #wireName()} is {@code value}.
     *
     * @param value a wire name, e.g. from a request
     * @return the action it names
     * @throws InvalidArgumentException if it names none
     */
    public static BulkActionKind fromWire(String value) {
        for (BulkActionKind kind : values()) {
            if (kind.wireName().equals(value)) {
                return kind;
            }
        }
        throw new InvalidArgumentException("action must be one of cancel, replay");
    }
}

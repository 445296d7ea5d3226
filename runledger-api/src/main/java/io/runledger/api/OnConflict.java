package io.runledger.api;

import java.util.Locale;

/** What a trigger does while another non-terminal run holds its concurrency key. */
public enum OnConflict {
    /** Refuse the new run with {@code concurrency_conflict}; nothing is written. */
    REJECT,
    /** Register the new run; it waits in {@code accepted} until it takes the key, in trigger order. */
    ENQUEUE,
    /** Request a stop of the holder and wait as with {@link #ENQUEUE}. */
    INTERRUPT;

    /**
     * {@return the name on the wire and in the database: the constant's name in lower case, e.g. {@code
     * enqueue}}
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
    public static OnConflict fromWire(String value) {
        for (OnConflict mode : values()) {
            if (mode.wireName().equals(value)) {
                return mode;
            }
        }
        throw new InvalidArgumentException("onConflict must be one of reject, enqueue, interrupt");
    }
}

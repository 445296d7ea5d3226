package io.runledger.api;

import java.util.Locale;

/** What a schedule does with the fire times it missed while no instance was running. */
public enum ScheduleCatchUp {
    /** Fire the most recent missed time once, then go on with the next time to come. */
    LATEST,
    /** Fire none of the missed times; go on with the next time to come. */
    NONE;

    /**
     * {@return the name on the wire and in the database: the constant's name in lower case, e.g. {@code
     * latest}}
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
    public static ScheduleCatchUp fromWire(String value) {
        for (ScheduleCatchUp mode : values()) {
            if (mode.wireName().equals(value)) {
                return mode;
            }
        }
        throw new InvalidArgumentException("catchUp must be one of latest, none");
    }
}

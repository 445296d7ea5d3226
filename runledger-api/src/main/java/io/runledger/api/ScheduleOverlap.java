package io.runledger.api;

import java.util.Locale;

/** What a schedule does at a fire time while the run of its previous fire has not settled. */
public enum ScheduleOverlap {
    /** Fire anyway: runs of one schedule may overlap. */
    ALLOW,
    /** Let that fire time pass: nothing is triggered or recorded for it. */
    SKIP;

    /**
     * {@return the name on the wire and in the database: the constant's name in lower case, e.g. {@code
     * skip}}
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
    public static ScheduleOverlap fromWire(String value) {
        for (ScheduleOverlap mode : values()) {
            if (mode.wireName().equals(value)) {
                return mode;
            }
        }
        throw new InvalidArgumentException("overlap must be one of allow, skip");
    }
}

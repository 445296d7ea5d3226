package io.runledger.api;

import java.util.Locale;

/** A waitpoint is pending until it completes or times out; both are final. */
public enum WaitpointStatus {
    /** Not completed yet; what waits on it keeps waiting. */
    PENDING,
    /**
     * Completed: by a call or its callback URL (a token), by its time coming (a duration), or by its run or
     * batch settling.
     */
    COMPLETED,
    /** A token whose timeout passed before anyone completed it. */
    TIMED_OUT;

    /**
     * {@return the name on the wire and in the database: the constant's name in lower case, e.g. {@code
     * timed_out}}
     */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The constant whose {@link #wireName()} is {@code value}.
     *
     * @param value a wire name, e.g. from a request
     * @return the status it names
     * @throws InvalidArgumentException if it names none
     */
    public static WaitpointStatus fromWire(String value) {
        for (WaitpointStatus status : values()) {
            if (status.wireName().equals(value)) {
                return status;
            }
        }
        throw new InvalidArgumentException("waitpoint status must be one of pending, completed, timed_out");
    }
}

package io.runledger.api;

import java.util.Locale;

/**
 * A thread's status, derived from its runs when it is read: {@code INTERRUPTED} while the run
 * holding its key waits on a pending token waitpoint, {@code BUSY} while any of its runs is not
 * terminal, {@code ERROR} when its latest run failed or expired, {@code IDLE} otherwise.
 */
public enum ThreadStatus {
    /** No run in flight, and the latest one did not fail. */
    IDLE,
    /** A run of the thread is queued, running or waiting on time or other runs. */
    BUSY,
    /** The run holding the thread's key waits on a pending token: it waits for someone. */
    INTERRUPTED,
    /** The thread's latest run failed or expired. */
    ERROR;

    /** {@return the name on the wire: the constant's name in lower case, e.g. {@code busy}} */
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
    public static ThreadStatus fromWire(String value) {
        for (ThreadStatus status : values()) {
            if (status.wireName().equals(value)) {
                return status;
            }
        }
        throw new InvalidArgumentException("status must be one of idle, busy, interrupted, error");
    }
}

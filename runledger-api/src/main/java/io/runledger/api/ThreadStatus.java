package io.runledger.api;

import java.util.Locale;

/**
 * A thread's status, derived from its runs when it is read: {@code INTERRUPTED} while the run
 * holding its key waits on a pending token waitpoint, {@code BUSY} while any of its runs is not
 * terminal, {@code ERROR} when its latest run failed or expired, {@code IDLE} otherwise.
 */
public enum ThreadStatus {
    IDLE, BUSY, INTERRUPTED, ERROR;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ThreadStatus fromWire(String value) {
        for (ThreadStatus status : values()) {
            if (status.wireName().equals(value)) {
                return status;
            }
        }
        throw new InvalidArgumentException("status must be one of idle, busy, interrupted, error");
    }
}

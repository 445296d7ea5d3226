package io.runledger.api;

import java.util.Locale;

/** A waitpoint is pending until it completes or times out; both are final. */
public enum WaitpointStatus {
    PENDING,
    COMPLETED,
    TIMED_OUT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static WaitpointStatus fromWire(String value) {
        for (WaitpointStatus status : values()) {
            if (status.wireName().equals(value)) {
                return status;
            }
        }
        throw new InvalidArgumentException("waitpoint status must be one of pending, completed, timed_out");
    }
}

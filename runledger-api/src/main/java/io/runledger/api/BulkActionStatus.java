package io.runledger.api;

import java.util.Locale;

/** A bulk action is running until every matched run was processed (completed) or it was cancelled. */
public enum BulkActionStatus {
    RUNNING,
    COMPLETED,
    CANCELLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BulkActionStatus fromWire(String value) {
        for (BulkActionStatus status : values()) {
            if (status.wireName().equals(value)) {
                return status;
            }
        }
        throw new InvalidArgumentException("bulk action status must be one of running, completed, cancelled");
    }

    public boolean isFinal() {
        return this != RUNNING;
    }
}

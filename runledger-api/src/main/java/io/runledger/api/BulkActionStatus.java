package io.runledger.api;

import java.util.Locale;

/** A bulk action is running until every matched run was processed (completed) or it was cancelled. */
public enum BulkActionStatus {
    /** Still processing the runs it matched, page by page. */
    RUNNING,
    /** Every matched run was processed (cancelled or replayed, skipped, or failed). */
    COMPLETED,
    /** Stopped before the end; the runs processed so far stay as they are. */
    CANCELLED;

    /**
     * {@return the name on the wire and in the database: the constant's name in lower case, e.g. {@code
     * running}}
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
    public static BulkActionStatus fromWire(String value) {
        for (BulkActionStatus status : values()) {
            if (status.wireName().equals(value)) {
                return status;
            }
        }
        throw new InvalidArgumentException("bulk action status must be one of running, completed, cancelled");
    }

    /** {@return whether the action has stopped for good (completed or cancelled)} */
    public boolean isFinal() {
        return this != RUNNING;
    }
}

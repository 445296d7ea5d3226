package io.runledger.api;

import java.util.Objects;

/**
 * The answer to one item of a batched worker call: the value the single call would have
 * returned, or the failure it would have thrown (same kind, same {@code code}). One item's
 * failure never fails the others.
 *
 * @param value the item's answer; null if it failed
 * @param error the item's failure; null if it succeeded
 */
public record ItemOutcome<T>(T value, RunLedgerException error) {

    public ItemOutcome {
        if ((value == null) == (error == null)) {
            throw new IllegalArgumentException("an item outcome holds exactly one of value and error");
        }
    }

    public static <T> ItemOutcome<T> ok(T value) {
        return new ItemOutcome<>(Objects.requireNonNull(value, "value"), null);
    }

    public static <T> ItemOutcome<T> failed(RunLedgerException error) {
        return new ItemOutcome<>(null, Objects.requireNonNull(error, "error"));
    }

    public boolean isOk() {
        return error == null;
    }

    /** The value, or the item's failure thrown, as the single call would have. */
    public T orThrow() {
        if (error != null) {
            throw error;
        }
        return value;
    }
}

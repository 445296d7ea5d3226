package io.runledger.api;

import java.util.Objects;

/**
 * The answer to one item of a batched worker call: the value the single call would have
 * returned, or the failure it would have thrown (same kind, same {@code code}). One item's
 * failure never fails the others.
 *
 * @param value the item's answer; null if it failed
 * @param error the item's failure; null if it succeeded
 *
 * @param <T> the type of the single call's answer
 */
public record ItemOutcome<T>(T value, RunLedgerException error) {

    /** Requires exactly one of {@code value} and {@code error}. */
    public ItemOutcome {
        if ((value == null) == (error == null)) {
            throw new IllegalArgumentException("an item outcome holds exactly one of value and error");
        }
    }

    /**
     * An item that succeeded.
     *
     * @param <T> the type of the answer
     * @param value its answer, not null
     * @return the outcome
     */
    public static <T> ItemOutcome<T> ok(T value) {
        return new ItemOutcome<>(Objects.requireNonNull(value, "value"), null);
    }

    /**
     * An item that failed.
     *
     * @param <T> the type the answer would have had
     * @param error its failure, not null
     * @return the outcome
     */
    public static <T> ItemOutcome<T> failed(RunLedgerException error) {
        return new ItemOutcome<>(null, Objects.requireNonNull(error, "error"));
    }

    /** {@return true if the item succeeded} */
    public boolean isOk() {
        return error == null;
    }

    /**
     * The value, or the item's failure thrown, as the single call would have.
     *
     * @return the value, if the item succeeded
     */
    public T orThrow() {
        if (error != null) {
            throw error;
        }
        return value;
    }
}

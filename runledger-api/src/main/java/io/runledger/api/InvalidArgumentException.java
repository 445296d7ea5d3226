package io.runledger.api;

/** A value of the wrong type or out of range, e.g. a negative delay or a limit outside 1..200. */
public final class InvalidArgumentException extends RunLedgerException {
    /**
     * A bad argument, with code {@code invalid_argument}.
     *
     * @param message what is wrong with it
     */
    public InvalidArgumentException(String message) {
        super("invalid_argument", message);
    }

    /**
     * A bad argument with a more precise code of its own (e.g. {@code bulk_action_too_large}).
     *
     * @param code the code
     * @param message what is wrong with it
     */
    public InvalidArgumentException(String code, String message) {
        super(code, message);
    }
}

package io.runledger.api;

/** A body or a JSON value over its size limit. */
public final class PayloadTooLargeException extends RunLedgerException {
    /**
     * A value over its limit, with code {@code payload_too_large}.
     *
     * @param message which value and which limit
     */
    public PayloadTooLargeException(String message) {
        super("payload_too_large", message);
    }
}

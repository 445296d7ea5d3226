package io.runledger.api;

/** A body or a JSON value over its size limit. */
public final class PayloadTooLargeException extends RunLedgerException {
    public PayloadTooLargeException(String message) {
        super("payload_too_large", message);
    }
}

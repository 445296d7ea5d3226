package io.runledger.api;

/** The database (or another dependency) cannot be reached: a real outage, retry later. */
public final class UnavailableException extends RunLedgerException {
    public UnavailableException(String message, Throwable cause) {
        super("unavailable", message, cause);
    }
}

package io.runledger.api;

/** The database (or another dependency) cannot be reached: a real outage, retry later. */
public final class UnavailableException extends RunLedgerException {
    /**
     * An outage of a dependency, with code {@code unavailable}.
     *
     * @param message what could not be reached
     * @param cause the failure that says so
     */
    public UnavailableException(String message, Throwable cause) {
        super("unavailable", message, cause);
    }
}

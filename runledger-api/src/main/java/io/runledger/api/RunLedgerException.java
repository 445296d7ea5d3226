package io.runledger.api;

import java.util.Map;

/**
 * Base of every failure the engine reports to its callers. Each subclass is one failure
 * kind with the stable {@link #code()} that the HTTP API returns in its problem document;
 * the server maps kinds to HTTP statuses in one place.
 */
public abstract sealed class RunLedgerException extends RuntimeException
        permits ConcurrencyConflictException, ConflictException, IdempotencyKeyReusedException, IllegalTransitionException,
                InvalidArgumentException, InvalidInputException, InvalidNameException, LeaseLostException,
                NotFoundException, PayloadTooLargeException, RemoteProblemException, RunAlreadySettledException,
                UnavailableException {

    /** The stable code; see {@link #code()}. */
    private final String code;

    /**
     * A failure of one kind.
     *
     * @param code the stable code of its kind
     * @param message what happened, for people
     */
    protected RunLedgerException(String code, String message) {
        super(message);
        this.code = code;
    }

    /**
     * A failure of one kind caused by another exception.
     *
     * @param code the stable code of its kind
     * @param message what happened, for people
     * @param cause the underlying failure
     */
    protected RunLedgerException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /**
     * The stable machine-readable code, e.g. {@code run_not_found}.
     *
     * @return the code, as in the problem document's {@code code} member
     */
    public String code() {
        return code;
    }

    /**
     * Extra members for the problem document (e.g. {@code activeRunId}); empty by default.
     *
     * @return the members, unmodifiable
     */
    public Map<String, Object> details() {
        return Map.of();
    }
}

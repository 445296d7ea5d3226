package io.runledger.api;

import java.util.Map;

/**
 * A problem reported by a remote RunLedger server whose code has no dedicated exception
 * type here (e.g. {@code unauthorized}, {@code invalid_json}, {@code unknown_field}).
 */
public final class RemoteProblemException extends RunLedgerException {
    /** The HTTP status of the answer. */
    private final int status;
    /** The problem's extra members. */
    private final Map<String, Object> details;

    /**
     * A problem document a server answered with.
     *
     * @param code its {@code code}
     * @param status the HTTP status
     * @param message its {@code detail}
     * @param details its other members; null means none
     */
    public RemoteProblemException(String code, int status, String message, Map<String, Object> details) {
        super(code, message);
        this.status = status;
        this.details = details == null ? Map.of() : Map.copyOf(details);
    }

    /**
     * The HTTP status the server answered with.
     *
     * @return the status, e.g. 401
     */
    public int status() {
        return status;
    }

    @Override
    public Map<String, Object> details() {
        return details;
    }
}

package io.runledger.api;

import java.util.Map;

/**
 * A problem reported by a remote RunLedger server whose code has no dedicated exception
 * type here (e.g. {@code unauthorized}, {@code invalid_json}, {@code unknown_field}).
 */
public final class RemoteProblemException extends RunLedgerException {
    private final int status;
    private final Map<String, Object> details;

    public RemoteProblemException(String code, int status, String message, Map<String, Object> details) {
        super(code, message);
        this.status = status;
        this.details = details == null ? Map.of() : Map.copyOf(details);
    }

    /** The HTTP status the server answered with. */
    public int status() {
        return status;
    }

    @Override
    public Map<String, Object> details() {
        return details;
    }
}

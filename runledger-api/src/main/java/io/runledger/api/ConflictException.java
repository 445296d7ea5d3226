package io.runledger.api;

import java.util.Map;

/**
 * A request that conflicts with the state it would change, with its own code (e.g.
 * {@code waitpoint_already_completed}); HTTP 409.
 */
public final class ConflictException extends RunLedgerException {
    /** The extra problem members. */
    private final Map<String, Object> details;

    /**
     * A conflict with its own code.
     *
     * @param code the stable code, e.g. {@code waitpoint_already_completed}
     * @param message what happened
     * @param details extra members for the problem document
     */
    public ConflictException(String code, String message, Map<String, Object> details) {
        super(code, message);
        this.details = Map.copyOf(details);
    }

    /**
     * A completion of a waitpoint that is no longer pending, with other data than it completed with.
     *
     * @param waitpointId the waitpoint
     * @param status the status it ended in
     * @return the exception, with code {@code waitpoint_already_completed}
     */
    public static ConflictException waitpointCompleted(String waitpointId, WaitpointStatus status) {
        return new ConflictException("waitpoint_already_completed",
                "waitpoint '" + waitpointId + "' is " + status.wireName() + " with other data",
                Map.of("waitpointStatus", status.wireName()));
    }

    @Override
    public Map<String, Object> details() {
        return details;
    }
}

package io.runledger.api;

import java.util.Map;

/**
 * A request that conflicts with the state it would change, with its own code (e.g.
 * {@code waitpoint_already_completed}); HTTP 409.
 */
public final class ConflictException extends RunLedgerException {
    private final Map<String, Object> details;

    public ConflictException(String code, String message, Map<String, Object> details) {
        super(code, message);
        this.details = Map.copyOf(details);
    }

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

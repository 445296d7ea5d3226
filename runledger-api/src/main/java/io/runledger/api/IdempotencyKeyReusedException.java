package io.runledger.api;

import java.util.Map;

/** The idempotency key is in use (within its TTL) for a different request. */
public final class IdempotencyKeyReusedException extends RunLedgerException {
    /** The run the key belongs to. */
    private final String runId;

    /**
     * A trigger refused because its key was used for a different request.
     *
     * @param key the idempotency key
     * @param runId the run the key made
     */
    public IdempotencyKeyReusedException(String key, String runId) {
        super("idempotency_key_reused",
                "idempotency key '" + key + "' was used for a different request (run '" + runId + "')");
        this.runId = runId;
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("runId", runId);
    }
}

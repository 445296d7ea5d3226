package io.runledger.api;

import java.util.Map;

/** The idempotency key is in use (within its TTL) for a different request. */
public final class IdempotencyKeyReusedException extends RunLedgerException {
    private final String runId;

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

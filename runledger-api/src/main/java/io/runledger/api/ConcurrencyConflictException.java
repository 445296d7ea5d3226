package io.runledger.api;

import java.util.Map;

/** Another non-terminal run holds the concurrency key and {@code onConflict} is {@code reject}. */
public final class ConcurrencyConflictException extends RunLedgerException {
    private final String activeRunId;

    public ConcurrencyConflictException(String concurrencyKey, String activeRunId) {
        super("concurrency_conflict",
                "concurrency key '" + concurrencyKey + "' is held by run '" + activeRunId + "'");
        this.activeRunId = activeRunId;
    }

    public String activeRunId() {
        return activeRunId;
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("activeRunId", activeRunId);
    }
}

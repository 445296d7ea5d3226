package io.runledger.api;

import java.util.Map;

/** Another non-terminal run holds the concurrency key and {@code onConflict} is {@code reject}. */
public final class ConcurrencyConflictException extends RunLedgerException {
    /** The run holding the key. */
    private final String activeRunId;

    /**
     * A trigger refused because another run holds its key.
     *
     * @param concurrencyKey the key
     * @param activeRunId the run holding it
     */
    public ConcurrencyConflictException(String concurrencyKey, String activeRunId) {
        super("concurrency_conflict",
                "concurrency key '" + concurrencyKey + "' is held by run '" + activeRunId + "'");
        this.activeRunId = activeRunId;
    }

    /** {@return the run that holds the concurrency key} */
    public String activeRunId() {
        return activeRunId;
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("activeRunId", activeRunId);
    }
}

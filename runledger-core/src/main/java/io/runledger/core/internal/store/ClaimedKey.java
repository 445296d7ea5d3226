package io.runledger.core.internal.store;

/**
 * A key a trigger claimed for its run. {@code stopped}: a stop was recorded on the key
 * before the run existed, so the run is registered cancelled (with {@code stopReason}).
 */
public record ClaimedKey(String runId, boolean stopped, String stopReason) {
}

package io.runledger.core.internal.store;

import com.fasterxml.jackson.databind.JsonNode;

/** Parameters of {@link MessageStore#messageInsert}; {@code seq} is the seq of its {@code run.signal} event. */
public record MessageInsert(String scope, String messageId, String runId, long seq, String type, String severity,
                            JsonNode data) {
}

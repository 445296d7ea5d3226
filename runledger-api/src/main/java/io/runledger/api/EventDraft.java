package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An event a worker asks to append: its type and data. The ledger assigns seq and time.
 *
 * @param type the event type: one of the worker event types or {@code custom.*}
 * @param data its data, any JSON
 */
public record EventDraft(String type, JsonNode data) {
}

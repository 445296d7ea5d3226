package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;

/** An event a worker asks to append: its type and data. The ledger assigns seq and time. */
public record EventDraft(String type, JsonNode data) {
}

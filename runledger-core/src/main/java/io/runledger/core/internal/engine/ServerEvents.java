package io.runledger.core.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.EventDraft;
import io.runledger.api.EventTypes;
import io.runledger.api.Run;
import io.runledger.api.RunError;
import io.runledger.api.Timestamps;
import io.runledger.core.internal.store.Json;

/**
 * The data of server-written events, built from the run row as it was written, so that
 * folding the ledger ({@link Projection}) reproduces the row exactly.
 */
final class ServerEvents {
    private ServerEvents() {
    }

    static EventDraft accepted(Run r) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("service", r.service());
        d.set("input", r.input());
        d.put("attempt", r.attempt());
        d.put("maxAttempts", r.maxAttempts());
        d.put("commandId", r.commandId());
        d.put("correlationId", r.correlationId());
        d.put("concurrencyKey", r.concurrencyKey());
        d.put("parentRunId", r.parentRunId());
        d.set("tags", Json.MAPPER.valueToTree(r.tags()));
        d.set("metadata", r.metadata());
        d.put("runAt", Timestamps.format(r.runAt()));
        return new EventDraft(EventTypes.ACCEPTED, d);
    }

    static EventDraft scheduled(Run r) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("runAt", Timestamps.format(r.runAt()));
        return new EventDraft(EventTypes.SCHEDULED, d);
    }

    static EventDraft succeeded(Run r) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("attempt", r.attempt());
        d.set("output", r.output());
        return new EventDraft(EventTypes.SUCCEEDED, d);
    }

    static EventDraft cancelled(Run r, String reason) {
        return cancelled(reason, error(r.error()));
    }

    static EventDraft cancelled(String reason, JsonNode error) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("reason", reason);
        d.set("error", error);
        return new EventDraft(EventTypes.CANCELLED, d);
    }

    static EventDraft leaseExpired(int attempt, String workerId) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("attempt", attempt);
        d.put("workerId", workerId);
        return new EventDraft(EventTypes.LEASE_EXPIRED, d);
    }

    static EventDraft retrying(int attempt, JsonNode error) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("attempt", attempt);
        d.set("error", error);
        return new EventDraft(EventTypes.RETRYING, d);
    }

    static EventDraft failed(int attempt, JsonNode error) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("attempt", attempt);
        d.set("error", error);
        return new EventDraft(EventTypes.FAILED, d);
    }

    static EventDraft stopRequested(String reason) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("reason", reason);
        return new EventDraft(EventTypes.STOP_REQUESTED, d);
    }

    static JsonNode error(RunError error) {
        return error == null ? null : Json.MAPPER.valueToTree(error);
    }
}

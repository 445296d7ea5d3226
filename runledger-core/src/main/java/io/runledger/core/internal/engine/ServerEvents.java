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

    /** The event for the outcome of a failed attempt: retrying, failed or cancelled. */
    static EventDraft afterFailure(Run r, String stopReason) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        return switch (r.status()) {
            case ACCEPTED -> new EventDraft(EventTypes.RETRYING, d.put("attempt", r.attempt()).set("error", error(r.error())));
            case FAILED -> new EventDraft(EventTypes.FAILED, d.put("attempt", r.attempt()).set("error", error(r.error())));
            case CANCELLED -> new EventDraft(EventTypes.CANCELLED, d.put("reason", stopReason).set("error", error(r.error())));
            default -> throw new IllegalStateException("not an outcome of a failure: " + r.status());
        };
    }

    static EventDraft cancelled(Run r, String reason) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("reason", reason);
        d.set("error", error(r.error()));
        return new EventDraft(EventTypes.CANCELLED, d);
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

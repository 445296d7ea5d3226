package io.runledger.core.internal.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.EventDraft;
import io.runledger.api.EventTypes;
import io.runledger.api.Run;
import io.runledger.api.RunError;
import io.runledger.api.Timestamps;
import io.runledger.core.internal.store.Json;
import io.runledger.core.internal.store.RunInsert;
import java.time.Instant;

/**
 * The data of server-written events, built from the run row as it was written, so that
 * folding the ledger (runs.Projection) reproduces the row exactly.
 */
public final class ServerEvents {
    private ServerEvents() {
    }

    /** The first event of a run, from the row the trigger is about to write (attempt 1). */
    public static EventDraft accepted(RunInsert r) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("service", r.service());
        d.set("input", r.input());
        d.put("attempt", 1);
        d.put("maxAttempts", r.maxAttempts());
        d.put("commandId", r.commandId());
        d.put("correlationId", r.correlationId());
        d.put("concurrencyKey", r.concurrencyKey());
        d.put("parentRunId", r.parentRunId());
        d.set("tags", Json.MAPPER.valueToTree(r.tags()));
        d.set("metadata", r.metadata());
        d.put("runAt", Timestamps.format(r.runAt()));
        // only children and replays have these: other runs' events keep their shape
        if (r.rootRunId() != null) {
            d.put("rootRunId", r.rootRunId());
        }
        if (r.replayOf() != null) {
            d.put("replayOf", r.replayOf());
        }
        if (r.priority() != 0) {
            d.put("priority", r.priority());
        }
        return new EventDraft(EventTypes.ACCEPTED, d);
    }

    public static EventDraft scheduled(Instant runAt) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("runAt", Timestamps.format(runAt));
        return new EventDraft(EventTypes.SCHEDULED, d);
    }

    public static EventDraft cancelled(Run r, String reason) {
        return cancelled(reason, error(r.error()));
    }

    public static EventDraft cancelled(String reason, JsonNode error) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("reason", reason);
        d.set("error", error);
        return new EventDraft(EventTypes.CANCELLED, d);
    }

    public static EventDraft leaseExpired(int attempt, String workerId) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("attempt", attempt);
        d.put("workerId", workerId);
        return new EventDraft(EventTypes.LEASE_EXPIRED, d);
    }

    /** A retry: at once ({@code runAt} null) or after {@code delay}, when the run comes due at {@code runAt}. */
    public static EventDraft retrying(int attempt, java.time.Duration delay, Instant runAt, JsonNode error) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("attempt", attempt);
        d.put("delaySeconds", delay.toNanos() / 1e9);
        if (runAt != null) {
            d.put("runAt", Timestamps.format(runAt));
        }
        d.set("error", error);
        return new EventDraft(EventTypes.RETRYING, d);
    }

    public static EventDraft failed(int attempt, JsonNode error) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("attempt", attempt);
        d.set("error", error);
        return new EventDraft(EventTypes.FAILED, d);
    }

    public static EventDraft stopRequested(String reason) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("reason", reason);
        return new EventDraft(EventTypes.STOP_REQUESTED, d);
    }

    public static JsonNode error(RunError error) {
        return error == null ? null : Json.MAPPER.valueToTree(error);
    }
}

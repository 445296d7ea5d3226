package io.runledger.client.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.Heartbeat;
import io.runledger.api.Lease;
import io.runledger.api.Receipt;
import io.runledger.api.Run;
import io.runledger.api.RunError;
import io.runledger.api.RunEvent;
import io.runledger.api.RunStatus;
import io.runledger.api.Timestamps;
import io.runledger.api.TriggerRequest;
import io.runledger.api.WorkerInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Converts between the HTTP API's JSON shapes (DESIGN.md) and the API records. */
public final class Wire {
    /**
     * Answers may carry stored values nested far deeper than Jackson's default 1,000 levels
     * allows (the server reads up to 2,000, plus envelopes); a client must read whatever the
     * server sends, or one old run would break every list that shows it.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(2_100).build())
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(2_100).build())
            .build()).build();

    private Wire() {
    }

    public static ObjectNode triggerBody(TriggerRequest r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.set("input", r.input() == null ? MAPPER.nullNode() : r.input());
        putIf(n, "idempotencyKey", r.idempotencyKey());
        putIf(n, "concurrencyKey", r.concurrencyKey());
        putIf(n, "onConflict", r.onConflict() == null ? null : r.onConflict().wireName());
        putIf(n, "correlationId", r.correlationId());
        putIf(n, "parentRunId", r.parentRunId());
        if (!r.tags().isEmpty()) {
            n.set("tags", MAPPER.valueToTree(r.tags()));
        }
        if (r.metadata() != null) {
            n.set("metadata", r.metadata());
        }
        putIf(n, "runAt", Timestamps.format(r.runAt()));
        if (r.delaySeconds() != null) {
            n.put("delaySeconds", r.delaySeconds());
        }
        if (r.ttlSeconds() != null) {
            n.put("ttlSeconds", r.ttlSeconds());
        }
        if (r.maxAttempts() != null) {
            n.put("maxAttempts", r.maxAttempts());
        }
        return n;
    }

    private static void putIf(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    public static Receipt receipt(JsonNode n, boolean replayed) {
        return new Receipt(text(n, "runId"), text(n, "scope"), text(n, "service"),
                RunStatus.fromWire(text(n, "status")), text(n, "commandId"), text(n, "correlationId"),
                instant(n, "createdAt"), replayed);
    }

    public static Run run(JsonNode n) {
        List<String> tags = new ArrayList<>();
        n.path("tags").forEach(t -> tags.add(t.asText()));
        return new Run(text(n, "runId"), text(n, "scope"), text(n, "service"), RunStatus.fromWire(text(n, "status")),
                n.path("attempt").asInt(), n.path("maxAttempts").asInt(), node(n, "input"), node(n, "output"),
                error(n.get("error")), text(n, "commandId"), text(n, "correlationId"), text(n, "concurrencyKey"),
                text(n, "parentRunId"), tags, node(n, "metadata"), text(n, "workerId"), instant(n, "createdAt"),
                instant(n, "runAt"), instant(n, "startedAt"), instant(n, "finishedAt"), instant(n, "stopRequestedAt"),
                instant(n, "leaseExpiresAt"), instant(n, "updatedAt"), n.path("lastSeq").asLong());
    }

    public static RunEvent event(JsonNode n) {
        return new RunEvent(text(n, "runId"), n.path("seq").asLong(), text(n, "type"),
                n.path("schemaVersion").asInt(1), node(n, "data"), instant(n, "createdAt"));
    }

    public static Lease lease(JsonNode n) {
        return new Lease(text(n, "runId"), text(n, "service"), node(n, "input"), n.path("attempt").asInt(),
                text(n, "leaseToken"), instant(n, "leaseExpiresAt"));
    }

    public static Heartbeat heartbeat(JsonNode n) {
        List<JsonNode> messages = new ArrayList<>();
        n.path("messages").forEach(messages::add);
        return new Heartbeat(instant(n, "leaseExpiresAt"), n.path("stopRequested").asBoolean(), messages);
    }

    public static WorkerInfo worker(JsonNode n) {
        List<String> services = new ArrayList<>();
        n.path("services").forEach(s -> services.add(s.asText()));
        return new WorkerInfo(text(n, "workerId"), services, text(n, "version"), node(n, "capabilities"),
                instant(n, "lastSeenAt"), n.path("runsHeld").asInt());
    }

    public static JsonNode error(RunError e) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("code", e.code());
        n.put("message", e.message());
        if (e.detail() != null) {
            n.set("detail", e.detail());
        }
        return n;
    }

    static RunError error(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        JsonNode detail = n.get("detail");
        return new RunError(n.path("code").asText(), n.path("message").asText(""),
                detail == null || detail.isNull() ? null : detail);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static JsonNode node(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v;
    }

    private static Instant instant(JsonNode n, String field) {
        return Timestamps.parse(text(n, field));
    }
}

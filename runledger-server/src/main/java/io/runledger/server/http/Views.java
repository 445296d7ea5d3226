package io.runledger.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.Lease;
import io.runledger.api.Receipt;
import io.runledger.api.Run;
import io.runledger.api.RunError;
import io.runledger.api.RunEvent;
import io.runledger.api.ServiceInfo;
import io.runledger.api.Timestamps;
import io.runledger.api.WorkerInfo;
import java.util.List;

/**
 * The wire shapes of the API's resources, field by field as DESIGN.md names them. Written
 * out explicitly (not by reflection) so that a renamed record component cannot silently
 * change the contract, and every timestamp goes through {@link Timestamps#format}.
 */
public final class Views {
    private Views() {
    }

    private static ObjectNode object() {
        return ServerJson.MAPPER.createObjectNode();
    }

    public static ObjectNode receipt(Receipt r) {
        ObjectNode n = object();
        n.put("runId", r.runId());
        n.put("scope", r.scope());
        n.put("service", r.service());
        n.put("status", r.status().wireName());
        n.put("commandId", r.commandId());
        n.put("correlationId", r.correlationId());
        n.put("createdAt", Timestamps.format(r.createdAt()));
        ObjectNode links = n.putObject("links");
        links.put("self", Paths.run(r.scope(), r.runId()));
        links.put("events", Paths.run(r.scope(), r.runId()) + "/events");
        links.put("stream", Paths.run(r.scope(), r.runId()) + "/stream");
        return n;
    }

    public static ObjectNode run(Run r) {
        ObjectNode n = object();
        n.put("runId", r.runId());
        n.put("scope", r.scope());
        n.put("service", r.service());
        n.put("status", r.status().wireName());
        n.put("attempt", r.attempt());
        n.put("maxAttempts", r.maxAttempts());
        n.set("input", orNull(r.input()));
        n.set("output", orNull(r.output()));
        n.set("error", error(r.error()));
        n.put("commandId", r.commandId());
        n.put("correlationId", r.correlationId());
        n.put("concurrencyKey", r.concurrencyKey());
        n.put("parentRunId", r.parentRunId());
        n.set("tags", strings(r.tags()));
        n.set("metadata", orNull(r.metadata()));
        n.put("workerId", r.workerId());
        n.put("createdAt", Timestamps.format(r.createdAt()));
        n.put("runAt", Timestamps.format(r.runAt()));
        n.put("startedAt", Timestamps.format(r.startedAt()));
        n.put("finishedAt", Timestamps.format(r.finishedAt()));
        n.put("stopRequestedAt", Timestamps.format(r.stopRequestedAt()));
        n.put("leaseExpiresAt", Timestamps.format(r.leaseExpiresAt()));
        n.put("updatedAt", Timestamps.format(r.updatedAt()));
        n.put("lastSeq", r.lastSeq());
        return n;
    }

    public static JsonNode error(RunError e) {
        if (e == null) {
            return ServerJson.MAPPER.nullNode();
        }
        ObjectNode n = object();
        n.put("code", e.code());
        n.put("message", e.message());
        n.set("detail", orNull(e.detail()));
        return n;
    }

    public static ObjectNode event(RunEvent e) {
        ObjectNode n = object();
        n.put("runId", e.runId());
        n.put("seq", e.seq());
        n.put("type", e.type());
        n.put("schemaVersion", e.schemaVersion());
        n.set("data", orNull(e.data()));
        n.put("createdAt", Timestamps.format(e.createdAt()));
        return n;
    }

    public static ObjectNode service(ServiceInfo s) {
        ObjectNode n = object();
        n.put("scope", s.scope());
        n.put("service", s.service());
        n.put("maxAttempts", s.maxAttempts());
        n.put("leaseTtlSeconds", s.leaseTtlSeconds());
        n.set("inputSchema", orNull(s.inputSchema()));
        if (s.concurrencyLimit() == null) {
            n.putNull("concurrencyLimit");
        } else {
            n.put("concurrencyLimit", s.concurrencyLimit());
        }
        n.put("description", s.description());
        n.put("createdAt", Timestamps.format(s.createdAt()));
        n.put("updatedAt", Timestamps.format(s.updatedAt()));
        return n;
    }

    public static ObjectNode lease(Lease l) {
        ObjectNode n = object();
        n.put("runId", l.runId());
        n.put("service", l.service());
        n.set("input", orNull(l.input()));
        n.put("attempt", l.attempt());
        n.put("leaseToken", l.leaseToken());
        n.put("leaseExpiresAt", Timestamps.format(l.leaseExpiresAt()));
        return n;
    }

    public static ObjectNode worker(WorkerInfo w) {
        ObjectNode n = object();
        n.put("workerId", w.workerId());
        n.set("services", strings(w.services()));
        n.put("version", w.version());
        n.set("capabilities", orNull(w.capabilities()));
        n.put("lastSeenAt", Timestamps.format(w.lastSeenAt()));
        n.put("runsHeld", w.runsHeld());
        return n;
    }

    public static ArrayNode array(List<? extends JsonNode> items) {
        ArrayNode a = ServerJson.MAPPER.createArrayNode();
        items.forEach(a::add);
        return a;
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode a = ServerJson.MAPPER.createArrayNode();
        values.forEach(a::add);
        return a;
    }

    private static JsonNode orNull(JsonNode value) {
        return value == null ? ServerJson.MAPPER.nullNode() : value;
    }
}

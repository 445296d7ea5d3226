package io.runledger.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.Lease;
import io.runledger.api.Receipt;
import io.runledger.api.RetryPolicy;
import io.runledger.api.Run;
import io.runledger.api.RunError;
import io.runledger.api.RunEvent;
import io.runledger.api.RunMessage;
import io.runledger.api.ScopeKey;
import io.runledger.api.ServiceInfo;
import io.runledger.api.StepRecord;
import io.runledger.api.Timestamps;
import io.runledger.api.WaitResult;
import io.runledger.api.Waitpoint;
import io.runledger.api.QueueStat;
import io.runledger.api.WebhookDelivery;
import io.runledger.api.WebhookInfo;
import io.runledger.api.WorkerInfo;
import java.util.List;

/**
 * The wire shapes of the API's resources, field by field as the HTTP API names them. Written
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
        n.put("rootRunId", r.rootRunId());
        n.put("replayOf", r.replayOf());
        n.put("priority", r.priority());
        n.put("lastEventAt", Timestamps.format(r.lastEventAt()));
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
        n.set("retry", retry(s.retry()));
        n.put("createdAt", Timestamps.format(s.createdAt()));
        n.put("updatedAt", Timestamps.format(s.updatedAt()));
        n.put("paused", s.paused());
        n.put("retentionDays", s.retentionDays());
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
        ObjectNode steps = n.putObject("steps");
        l.steps().forEach((step, output) -> steps.set(step, orNull(output)));
        ObjectNode resumed = n.putObject("resumed");
        l.resumed().forEach((step, results) -> resumed.set(step, array(results.stream().map(Views::waitResult).toList())));
        n.put("stepsComplete", l.stepsComplete());
        return n;
    }

    /** A retry policy as a service shows it (complete) or null. */
    public static JsonNode retry(RetryPolicy p) {
        if (p == null) {
            return ServerJson.MAPPER.nullNode();
        }
        ObjectNode n = object();
        putNumber(n, "initialDelaySeconds", p.initialDelaySeconds());
        putNumber(n, "maxDelaySeconds", p.maxDelaySeconds());
        putNumber(n, "factor", p.factor());
        putNumber(n, "jitter", p.jitter());
        return n;
    }

    /** A waitpoint; {@code callbackUrl} is added by the create answer only. */
    public static ObjectNode waitpoint(Waitpoint w) {
        ObjectNode n = object();
        n.put("waitpointId", w.waitpointId());
        n.put("scope", w.scope());
        n.put("kind", w.kind().wireName());
        n.put("status", w.status().wireName());
        n.set("data", orNull(w.data()));
        n.put("runId", w.runId());
        n.put("targetRunId", w.targetRunId());
        n.put("targetBatchId", w.targetBatchId());
        n.put("resumeAt", Timestamps.format(w.resumeAt()));
        n.put("expiresAt", Timestamps.format(w.expiresAt()));
        n.put("idempotencyKey", w.idempotencyKey());
        n.set("tags", strings(w.tags()));
        n.put("createdAt", Timestamps.format(w.createdAt()));
        n.put("completedAt", Timestamps.format(w.completedAt()));
        return n;
    }

    /**
     * What a key-less callback is answered: whether its completion holds, and nothing of the
     * scope behind it (its name, the waiting run, tags, keys), which the URL's holder, often a
     * third party, has no business reading.
     */
    public static ObjectNode callbackAnswer(Waitpoint w) {
        ObjectNode n = object();
        n.put("waitpointId", w.waitpointId());
        n.put("kind", w.kind().wireName());
        n.put("status", w.status().wireName());
        n.set("data", orNull(w.data()));
        n.put("completedAt", Timestamps.format(w.completedAt()));
        return n;
    }

    /** One waitpoint's result, as a suspend answer and a lease's {@code resumed} carry it. */
    public static ObjectNode waitResult(WaitResult r) {
        ObjectNode n = object();
        n.put("waitpointId", r.waitpointId());
        n.put("kind", r.kind() == null ? null : r.kind().wireName());
        n.put("status", r.status() == null ? null : r.status().wireName());
        n.set("data", orNull(r.data()));
        return n;
    }

    public static ObjectNode step(StepRecord s) {
        ObjectNode n = object();
        n.put("step", s.step());
        n.set("output", orNull(s.output()));
        n.put("attempt", s.attempt());
        n.put("seq", s.seq());
        n.put("createdAt", Timestamps.format(s.createdAt()));
        n.put("replayed", s.replayed());
        return n;
    }

    private static void putNumber(ObjectNode n, String name, Double value) {
        if (value == null) {
            n.putNull(name);
        } else {
            n.put(name, value);
        }
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

    public static ObjectNode queue(QueueStat q) {
        ObjectNode n = ServerJson.MAPPER.createObjectNode();
        n.put("service", q.service());
        n.put("depth", q.depth());
        n.put("oldestAgeSeconds", q.oldestAgeSeconds());
        return n;
    }

    public static ObjectNode webhook(WebhookInfo w) {
        ObjectNode n = ServerJson.MAPPER.createObjectNode();
        n.put("webhookId", w.webhookId());
        n.put("scope", w.scope());
        n.put("url", w.url());
        n.set("events", ServerJson.MAPPER.valueToTree(w.events()));
        n.put("enabled", w.enabled());
        n.put("kind", w.kind().wireName());
        if (w.windowSeconds() != null) {
            n.put("windowSeconds", w.windowSeconds());
        }
        if (w.secret() != null) {
            n.put("secret", w.secret()); // shown when created or replaced only
        }
        n.put("createdAt", Timestamps.format(w.createdAt()));
        n.put("updatedAt", Timestamps.format(w.updatedAt()));
        return n;
    }

    public static ObjectNode delivery(WebhookDelivery d) {
        ObjectNode n = ServerJson.MAPPER.createObjectNode();
        n.put("deliveryId", d.deliveryId());
        n.put("webhookId", d.webhookId());
        n.put("runId", d.runId());
        if (d.runId() == null) {
            n.putNull("seq"); // an alert reports a window, not one event
        } else {
            n.put("seq", d.seq());
        }
        n.put("eventType", d.eventType());
        n.put("status", d.status());
        n.put("attempts", d.attempts());
        if (d.lastStatusCode() == null) {
            n.putNull("lastStatusCode");
        } else {
            n.put("lastStatusCode", d.lastStatusCode());
        }
        n.put("lastError", d.lastError());
        n.put("createdAt", Timestamps.format(d.createdAt()));
        n.put("nextAttemptAt", "pending".equals(d.status()) ? Timestamps.format(d.nextAttemptAt()) : null);
        n.put("deliveredAt", Timestamps.format(d.deliveredAt()));
        n.set("attemptLog", d.attemptLog());
        return n;
    }

    /** A signal's outbound message, as heartbeats and {@code GET .../messages} show it. */
    public static ObjectNode message(RunMessage m) {
        ObjectNode n = ServerJson.MAPPER.createObjectNode();
        n.put("messageId", m.messageId());
        n.put("runId", m.runId());
        n.put("seq", m.seq());
        n.put("type", m.type());
        n.put("severity", m.severity());
        n.set("data", m.data());
        n.put("status", m.status());
        n.put("createdAt", Timestamps.format(m.createdAt()));
        n.put("deliveredAt", Timestamps.format(m.deliveredAt()));
        n.put("ackedAt", Timestamps.format(m.ackedAt()));
        return n;
    }

    /** A key as the admin sees it: never the key, never its hash. */
    public static ObjectNode scopeKey(ScopeKey k) {
        ObjectNode node = ServerJson.MAPPER.createObjectNode();
        node.put("scope", k.scope());
        node.put("keyId", k.keyId());
        node.put("name", k.name());
        node.put("createdAt", Timestamps.format(k.createdAt()));
        node.put("lastUsedAt", k.lastUsedAt() == null ? null : Timestamps.format(k.lastUsedAt()));
        return node;
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

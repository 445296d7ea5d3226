package io.runledger.client.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.BatchInfo;
import io.runledger.api.EventDraft;
import io.runledger.api.EventPage;
import io.runledger.api.Heartbeat;
import io.runledger.api.JsonDepth;
import io.runledger.api.Lease;
import io.runledger.api.LeaseRequest;
import io.runledger.api.Page;
import io.runledger.api.RebuildResult;
import io.runledger.api.RetryPolicy;
import io.runledger.api.Receipt;
import io.runledger.api.Run;
import io.runledger.api.RunError;
import io.runledger.api.RunEvent;
import io.runledger.api.RunMessage;
import io.runledger.api.RunStatus;
import io.runledger.api.ScopeKey;
import io.runledger.api.ServiceInfo;
import io.runledger.api.ServiceSpec;
import io.runledger.api.KeyCancelResult;
import io.runledger.api.Settlement;
import io.runledger.api.Signal;
import io.runledger.api.Overview;
import io.runledger.api.OverviewWindow;
import io.runledger.api.Timestamps;
import io.runledger.api.TriggerRequest;
import io.runledger.api.ValidationReport;
import io.runledger.api.WaitResult;
import io.runledger.api.WaitpointKind;
import io.runledger.api.WaitpointStatus;
import io.runledger.api.WebhookDelivery;
import io.runledger.api.WebhookInfo;
import io.runledger.api.WebhookKind;
import io.runledger.api.WebhookSpec;
import io.runledger.api.WebhookStats;
import io.runledger.api.WorkerInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Converts between the HTTP API's JSON shapes and the api records. */
public final class Wire {
    /**
     * Answers may carry stored values nested far deeper than Jackson's default 1,000 levels
     * allows (the server reads up to 2,000, plus envelopes); a client must read whatever the
     * server sends, or one old run would break every list that shows it.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(JsonDepth.MAX_ANSWER).build())
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(JsonDepth.MAX_ANSWER).build())
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
        if (r.retry() != null) {
            n.set("retry", retryBody(r.retry()));
        }
        if (r.priority() != null) {
            n.put("priority", r.priority());
        }
        return n;
    }

    /** A retry policy; unset fields are left out, so the server fills them in from the service or its defaults. */
    public static ObjectNode retryBody(RetryPolicy policy) {
        ObjectNode n = MAPPER.createObjectNode();
        putIf(n, "initialDelaySeconds", policy.initialDelaySeconds());
        putIf(n, "maxDelaySeconds", policy.maxDelaySeconds());
        putIf(n, "factor", policy.factor());
        putIf(n, "jitter", policy.jitter());
        return n;
    }

    static RetryPolicy retry(JsonNode n) {
        if (n == null || !n.isObject()) {
            return null;
        }
        return new RetryPolicy(number(n, "initialDelaySeconds"), number(n, "maxDelaySeconds"), number(n, "factor"),
                number(n, "jitter"));
    }

    static void putIf(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    static void putIf(ObjectNode n, String field, Double value) {
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
                instant(n, "leaseExpiresAt"), instant(n, "updatedAt"), n.path("lastSeq").asLong(),
                text(n, "rootRunId"), text(n, "replayOf"), n.path("priority").asInt(0), instant(n, "lastEventAt"));
    }

    public static RunEvent event(JsonNode n) {
        return new RunEvent(text(n, "runId"), n.path("seq").asLong(), text(n, "type"),
                n.path("schemaVersion").asInt(1), node(n, "data"), instant(n, "createdAt"));
    }

    /**
     * A lease with what its run recorded before. A step's output may be JSON null: it stays a
     * {@code NullNode}, so that "recorded null" is told apart from "not recorded". A server
     * that sends no {@code stepsComplete} sent every step it has.
     */
    public static Lease lease(JsonNode n) {
        Map<String, JsonNode> steps = new LinkedHashMap<>();
        n.path("steps").properties().forEach(e -> steps.put(e.getKey(), e.getValue()));
        Map<String, List<WaitResult>> resumed = new LinkedHashMap<>();
        n.path("resumed").properties().forEach(e -> resumed.put(e.getKey(), list(e.getValue(), Wire::waitResult)));
        return new Lease(text(n, "runId"), text(n, "service"), node(n, "input"), n.path("attempt").asInt(),
                text(n, "leaseToken"), instant(n, "leaseExpiresAt"), steps, resumed,
                n.path("stepsComplete").asBoolean(true));
    }

    /** A waitpoint's result as the API writes it: {@code {waitpointId, kind, status, data}}. */
    public static ObjectNode waitResultJson(WaitResult r) {
        ObjectNode n = MAPPER.createObjectNode().put("waitpointId", r.waitpointId());
        n.put("kind", r.kind().wireName());
        n.put("status", r.status().wireName());
        n.set("data", r.data() == null ? MAPPER.nullNode() : r.data());
        return n;
    }

    /** One waitpoint's result, in a lease's {@code resumed} and in a suspend's answer. */
    public static WaitResult waitResult(JsonNode n) {
        JsonNode data = n.get("data");
        return new WaitResult(text(n, "waitpointId"), WaitpointKind.fromWire(text(n, "kind")),
                WaitpointStatus.fromWire(text(n, "status")), data == null ? MAPPER.nullNode() : data);
    }

    public static Settlement settlement(JsonNode n) {
        return new Settlement(text(n, "runId"), RunStatus.fromWire(text(n, "status")), n.path("attempt").asInt());
    }

    public static Heartbeat heartbeat(JsonNode n) {
        return new Heartbeat(instant(n, "leaseExpiresAt"), n.path("stopRequested").asBoolean(),
                list(n.path("messages"), Wire::message));
    }

    /** A signal's outbound message, as heartbeats, acks and {@code GET .../messages} show it. */
    public static RunMessage message(JsonNode n) {
        return new RunMessage(text(n, "messageId"), text(n, "runId"), n.path("seq").asLong(), text(n, "type"),
                text(n, "severity"), node(n, "data"), text(n, "status"), instant(n, "createdAt"),
                instant(n, "deliveredAt"), instant(n, "ackedAt"));
    }

    public static WorkerInfo worker(JsonNode n) {
        List<String> services = new ArrayList<>();
        n.path("services").forEach(s -> services.add(s.asText()));
        return new WorkerInfo(text(n, "workerId"), services, text(n, "version"), node(n, "capabilities"),
                instant(n, "lastSeenAt"), n.path("runsHeld").asInt());
    }

    /** The {@code items} of a listing answer, each parsed by {@code parse}. */
    public static <T> List<T> items(JsonNode body, Function<JsonNode, T> parse) {
        return list(body.path("items"), parse);
    }

    /** Each element of a JSON array, parsed by {@code parse}. */
    public static <T> List<T> list(JsonNode array, Function<JsonNode, T> parse) {
        List<T> out = new ArrayList<>();
        array.forEach(n -> out.add(parse.apply(n)));
        return out;
    }

    public static Page<Run> runPage(JsonNode n) {
        return new Page<>(items(n, Wire::run), text(n, "nextCursor"));
    }

    public static EventPage eventPage(JsonNode n, long after) {
        return new EventPage(items(n, Wire::event), n.path("nextAfter").asLong(after));
    }

    public static ValidationReport validation(JsonNode n) {
        return new ValidationReport(n.path("valid").asBoolean(), list(n.path("problems"),
                p -> new ValidationReport.Problem(text(p, "code"), text(p, "message"))));
    }

    public static RebuildResult rebuild(JsonNode n) {
        return new RebuildResult(n.path("changed").asBoolean(), run(n.path("before")), run(n.path("after")));
    }

    /** A batch's receipts carry their own {@code replayed} flag. */
    public static Receipt batchReceipt(JsonNode n) {
        return receipt(n, n.path("replayed").asBoolean());
    }

    public static BatchInfo batch(JsonNode n) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        n.path("counts").properties().forEach(e -> counts.put(e.getKey(), e.getValue().asInt()));
        return new BatchInfo(text(n, "batchId"), text(n, "scope"), text(n, "service"), n.path("size").asInt(),
                instant(n, "createdAt"), list(n.path("runIds"), JsonNode::asText), counts);
    }

    /** {@code created} comes from the status of the PUT (201), not from the body. */
    public static WebhookInfo webhook(JsonNode n, boolean created) {
        return new WebhookInfo(text(n, "scope"), text(n, "webhookId"), text(n, "url"),
                list(n.path("events"), JsonNode::asText), n.path("enabled").asBoolean(), text(n, "secret"),
                instant(n, "createdAt"), instant(n, "updatedAt"), created,
                WebhookKind.fromWire(n.path("kind").asText("events")),
                n.hasNonNull("windowSeconds") ? n.get("windowSeconds").asInt() : null, webhookStats(n.get("stats")));
    }

    /** Null when the answer has none (a server from before the stats). */
    static WebhookStats webhookStats(JsonNode n) {
        if (n == null || !n.isObject()) {
            return null;
        }
        JsonNode code = n.get("lastFailureStatusCode");
        return new WebhookStats(n.path("windowHours").asInt(), n.path("delivered").asLong(), n.path("dead").asLong(),
                n.path("pending").asLong(), n.path("attempts").asLong(), n.path("failedAttempts").asLong(),
                number(n, "successRate"), instant(n, "lastFailureAt"),
                code == null || code.isNull() ? null : code.asInt(), text(n, "lastFailureError"));
    }

    public static WebhookDelivery delivery(JsonNode n) {
        JsonNode code = n.get("lastStatusCode");
        return new WebhookDelivery(text(n, "deliveryId"), text(n, "webhookId"), text(n, "runId"),
                n.path("seq").asLong(), text(n, "eventType"), text(n, "status"), n.path("attempts").asInt(),
                code == null || code.isNull() ? null : code.asInt(), text(n, "lastError"), instant(n, "createdAt"),
                instant(n, "nextAttemptAt"), instant(n, "deliveredAt"), node(n, "attemptLog"));
    }

    public static ScopeKey scopeKey(JsonNode n) {
        return new ScopeKey(text(n, "scope"), text(n, "keyId"), text(n, "name"), instant(n, "createdAt"),
                instant(n, "lastUsedAt"));
    }

    /**
     * The answer to a stop by key: {@code status} {@code stop_recorded} when no run had the
     * key yet, else the run (200 settled, 202 stop requested).
     */
    public static KeyCancelResult keyCancel(JsonNode n, int status) {
        if ("stop_recorded".equals(text(n, "status")) && n.path("runId").isNull()) {
            return new KeyCancelResult(text(n, "idempotencyKey"), null, false, instant(n, "stopRequestedAt"));
        }
        Run run = run(n);
        return new KeyCancelResult(run.commandId(), run, status == 200, null);
    }

    public static ServiceInfo service(JsonNode n) {
        JsonNode limit = n.get("concurrencyLimit");
        return new ServiceInfo(text(n, "scope"), text(n, "service"), n.path("maxAttempts").asInt(),
                n.path("leaseTtlSeconds").asInt(), node(n, "inputSchema"),
                limit == null || limit.isNull() ? null : limit.asInt(), text(n, "description"), retry(n.get("retry")),
                instant(n, "createdAt"), instant(n, "updatedAt"), n.path("paused").asBoolean(false),
                n.path("retentionDays").asInt(ServiceSpec.DEFAULT_RETENTION_DAYS));
    }

    public static ObjectNode leaseBody(LeaseRequest request) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("workerId", request.workerId());
        ArrayNode services = body.putArray("services");
        request.services().forEach(services::add);
        body.put("max", request.max());
        body.put("waitSeconds", waitSeconds(request.waitFor()));
        putIf(body, "version", request.version());
        if (request.capabilities() != null) {
            body.set("capabilities", request.capabilities());
        }
        return body;
    }

    public static ObjectNode appendBody(String leaseToken, List<EventDraft> events) {
        ObjectNode body = MAPPER.createObjectNode().put("leaseToken", leaseToken);
        ArrayNode array = body.putArray("events");
        for (EventDraft e : events) {
            ObjectNode n = array.addObject().put("type", e.type());
            n.set("data", e.data() == null ? MAPPER.createObjectNode() : e.data());
        }
        return body;
    }

    public static ObjectNode signalBody(Signal signal) {
        ObjectNode body = MAPPER.createObjectNode().put("type", signal.type());
        body.set("data", signal.data() == null ? MAPPER.nullNode() : signal.data());
        putIf(body, "severity", signal.severity());
        return body;
    }

    public static ObjectNode batchBody(List<TriggerRequest> items) {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode array = body.putArray("items");
        items.forEach(r -> array.add(triggerBody(r)));
        return body;
    }

    /** Null fields are left out: the server keeps its defaults (or the existing secret). */
    public static ObjectNode webhookBody(WebhookSpec spec) {
        ObjectNode body = MAPPER.createObjectNode();
        putIf(body, "url", spec.url());
        if (spec.events() != null) {
            body.set("events", MAPPER.valueToTree(spec.events()));
        }
        putIf(body, "secret", spec.secret());
        if (spec.enabled() != null) {
            body.put("enabled", spec.enabled());
        }
        if (spec.kind() != null) {
            body.put("kind", spec.kind().wireName());
        }
        if (spec.windowSeconds() != null) {
            body.put("windowSeconds", spec.windowSeconds());
        }
        return body;
    }

    /** Null fields are left out: the service takes the engine defaults. */
    public static ObjectNode serviceBody(ServiceSpec spec) {
        ObjectNode body = MAPPER.createObjectNode();
        if (spec == null) {
            return body;
        }
        if (spec.maxAttempts() != null) {
            body.put("maxAttempts", spec.maxAttempts());
        }
        if (spec.leaseTtlSeconds() != null) {
            body.put("leaseTtlSeconds", spec.leaseTtlSeconds());
        }
        if (spec.inputSchema() != null) {
            body.set("inputSchema", spec.inputSchema());
        }
        if (spec.concurrencyLimit() != null) {
            body.put("concurrencyLimit", spec.concurrencyLimit());
        }
        putIf(body, "description", spec.description());
        if (spec.retry() != null) {
            body.set("retry", retryBody(spec.retry()));
        }
        if (spec.retentionDays() != null) {
            body.put("retentionDays", spec.retentionDays());
        }
        return body;
    }

    /**
     * A wait in the API's whole seconds, rounded away from zero: a wait under a second still
     * waits (a worker polling with 500 ms must not spin), and a negative or too-long one stays
     * out of range, so the server refuses it as the engine would.
     */
    static long waitSeconds(Duration wait) {
        long millis = wait.toMillis();
        return millis >= 0 ? Math.ceilDiv(millis, 1000) : Math.floorDiv(millis, 1000);
    }

    /** The error of a failure; null stays null, for the server to refuse as the engine does. */
    public static JsonNode error(RunError e) {
        if (e == null) {
            return NullNode.getInstance();
        }
        ObjectNode n = MAPPER.createObjectNode();
        n.put("code", e.code());
        n.put("message", e.message());
        if (e.detail() != null) {
            n.set("detail", e.detail());
        }
        return n;
    }

    /** A run's error as the API writes it (in a run, in a child run's outcome). */
    public static RunError error(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        JsonNode detail = n.get("detail");
        return new RunError(n.path("code").asText(), n.path("message").asText(""),
                detail == null || detail.isNull() ? null : detail);
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static JsonNode node(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v;
    }

    private static Double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isNumber() ? null : v.asDouble();
    }

    static Instant instant(JsonNode n, String field) {
        return Timestamps.parse(text(n, field));
    }

    public static Overview overview(String scope, JsonNode n) {
        return new Overview(scope, OverviewWindow.fromWire(n.path("window").asText()), instant(n, "from"),
                instant(n, "to"), list(n.path("services"), s -> new Overview.ServiceOverview(text(s, "service"),
                        s.path("triggered").asLong(), s.path("succeeded").asLong(), s.path("failed").asLong(),
                        s.path("cancelled").asLong(), s.path("expired").asLong(), number(s, "failureRate"),
                        number(s, "durationP50Ms"), number(s, "durationP95Ms"), s.path("queued").asLong(),
                        s.path("oldestQueuedAgeSeconds").asDouble(), s.path("running").asLong(),
                        s.path("waiting").asLong(), list(s.path("buckets"), b -> new Overview.Bucket(
                                instant(b, "start"), b.path("triggered").asLong(), b.path("succeeded").asLong(),
                                b.path("failed").asLong(), b.path("cancelled").asLong(),
                                b.path("expired").asLong())))));
    }
}

package io.runledger.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.BulkAction;
import io.runledger.api.BulkActionKind;
import io.runledger.api.BulkActionRequest;
import io.runledger.api.BulkActionStatus;
import io.runledger.api.BulkActions;
import io.runledger.api.BulkFilter;
import io.runledger.api.RunHealth;
import io.runledger.api.Page;
import io.runledger.api.RunStatus;
import io.runledger.api.Timestamps;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** {@link BulkActions} over HTTP: {@code .../bulk-actions}. */
public final class HttpBulkActions implements BulkActions {
    private final Transport transport;

    public HttpBulkActions(Transport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    /** The server answers 202 with the action as created. */
    @Override
    public BulkAction create(String scope, BulkActionRequest request) {
        ObjectNode body = Wire.MAPPER.createObjectNode();
        body.put("action", request.action().wireName());
        body.set("filter", filter(request.filter()));
        if (request.reason() != null) {
            body.put("reason", request.reason());
        }
        if (request.idempotencyKey() != null) {
            body.put("idempotencyKey", request.idempotencyKey());
        }
        return action(transport.post(Paths.bulkActions(scope), body, null, null, null).body());
    }

    /** A dry run of the create: the server counts the matching runs and writes nothing. */
    @Override
    public int count(String scope, BulkActionRequest request) {
        ObjectNode body = Wire.MAPPER.createObjectNode();
        body.put("action", request.action().wireName());
        body.set("filter", filter(request.filter()));
        body.put("dryRun", true);
        return transport.post(Paths.bulkActions(scope), body, null, null, null).body().path("matched").asInt();
    }

    @Override
    public BulkAction get(String scope, String bulkActionId) {
        return action(transport.get(Paths.bulkAction(scope, bulkActionId), null, null, null).body());
    }

    @Override
    public Page<BulkAction> list(String scope, int limit, String cursor) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("limit", limit);
        q.put("cursor", cursor);
        JsonNode body = transport.get(Paths.bulkActions(scope), q, null, null).body();
        return new Page<>(Wire.items(body, HttpBulkActions::action), Wire.text(body, "nextCursor"));
    }

    @Override
    public BulkAction cancel(String scope, String bulkActionId) {
        return action(transport.post(Paths.bulkAction(scope, bulkActionId) + "/cancel",
                Wire.MAPPER.createObjectNode(), null, null, null).body());
    }

    static ObjectNode filter(BulkFilter f) {
        ObjectNode n = Wire.MAPPER.createObjectNode();
        putText(n, "service", f.service());
        putText(n, "status", f.status() == null ? null : f.status().wireName());
        putText(n, "concurrencyKey", f.concurrencyKey());
        putText(n, "tag", f.tag());
        putText(n, "parentRunId", f.parentRunId());
        putText(n, "createdAfter", Timestamps.format(f.createdAfter()));
        putText(n, "createdBefore", Timestamps.format(f.createdBefore()));
        putText(n, "health", f.health() == null ? null : f.health().wireName());
        if (f.stuckAfterSeconds() != null) {
            n.put("stuckAfterSeconds", f.stuckAfterSeconds());
        }
        if (f.silentForSeconds() != null) {
            n.put("silentForSeconds", f.silentForSeconds());
        }
        return n;
    }

    private static void putText(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    static BulkAction action(JsonNode n) {
        JsonNode f = n.path("filter");
        String status = Wire.text(f, "status");
        BulkFilter filter = new BulkFilter(Wire.text(f, "service"), status == null ? null : RunStatus.fromWire(status),
                Wire.text(f, "concurrencyKey"), Wire.text(f, "tag"), Wire.text(f, "parentRunId"),
                Wire.instant(f, "createdAfter"), Wire.instant(f, "createdBefore"),
                f.hasNonNull("health") ? RunHealth.fromWire(f.get("health").asText()) : null,
                f.hasNonNull("stuckAfterSeconds") ? f.get("stuckAfterSeconds").asInt() : null,
                f.hasNonNull("silentForSeconds") ? f.get("silentForSeconds").asInt() : null);
        return new BulkAction(Wire.text(n, "bulkActionId"), Wire.text(n, "scope"),
                BulkActionKind.fromWire(Wire.text(n, "action")), filter, Wire.text(n, "reason"),
                BulkActionStatus.fromWire(Wire.text(n, "status")), n.path("matched").asLong(),
                n.path("processed").asLong(), n.path("skipped").asLong(), n.path("failed").asLong(),
                Wire.instant(n, "createdAt"), Wire.instant(n, "updatedAt"), Wire.instant(n, "finishedAt"));
    }
}

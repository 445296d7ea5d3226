package io.runledger.client.internal;

import static io.runledger.client.internal.Wire.MAPPER;
import static io.runledger.client.internal.Wire.instant;
import static io.runledger.client.internal.Wire.node;
import static io.runledger.client.internal.Wire.putIf;
import static io.runledger.client.internal.Wire.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.NewWaitpoint;
import io.runledger.api.Page;
import io.runledger.api.StepRecord;
import io.runledger.api.SuspendRequest;
import io.runledger.api.SuspendResult;
import io.runledger.api.Timestamps;
import io.runledger.api.Waitpoint;
import io.runledger.api.WaitpointCreate;
import io.runledger.api.WaitpointKind;
import io.runledger.api.WaitpointRef;
import io.runledger.api.WaitpointStatus;

/**
 * The JSON shapes of orchestration: waitpoints, suspends and durable steps. Kept apart from
 * {@link Wire}, which holds the shapes of runs, events and workers.
 */
final class OrchestrationWire {
    private OrchestrationWire() {
    }

    static Waitpoint waitpoint(JsonNode n) {
        String status = text(n, "status");
        return new Waitpoint(text(n, "waitpointId"), text(n, "scope"), WaitpointKind.fromWire(text(n, "kind")),
                status == null ? null : WaitpointStatus.fromWire(status), node(n, "data"), text(n, "runId"),
                text(n, "targetRunId"), text(n, "targetBatchId"), instant(n, "resumeAt"), instant(n, "expiresAt"),
                text(n, "idempotencyKey"), Wire.list(n.path("tags"), JsonNode::asText), instant(n, "createdAt"),
                instant(n, "completedAt"));
    }

    /** {@code replayed}: the create was answered 200 (an idempotent repeat, without its callback URL). */
    static NewWaitpoint newWaitpoint(JsonNode n, boolean replayed) {
        return new NewWaitpoint(waitpoint(n), text(n, "callbackUrl"), replayed);
    }

    static Page<Waitpoint> waitpointPage(JsonNode n) {
        return new Page<>(Wire.items(n, OrchestrationWire::waitpoint), text(n, "nextCursor"));
    }

    static ObjectNode createBody(WaitpointCreate request) {
        ObjectNode body = MAPPER.createObjectNode();
        if (request.timeoutSeconds() != null) {
            body.put("timeoutSeconds", request.timeoutSeconds());
        }
        putIf(body, "idempotencyKey", request.idempotencyKey());
        if (!request.tags().isEmpty()) {
            body.set("tags", MAPPER.valueToTree(request.tags()));
        }
        putIf(body, "runId", request.runId());
        return body;
    }

    static ObjectNode suspendBody(SuspendRequest request) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("leaseToken", request.leaseToken());
        body.put("step", request.step());
        ArrayNode waitpoints = body.putArray("waitpoints");
        for (WaitpointRef ref : request.waitpoints()) {
            if (ref == null) {
                waitpoints.addNull(); // the server refuses it, as the engine does
                continue;
            }
            waitpoints.add(ref(ref));
        }
        if (request.timeoutSeconds() != null) {
            body.put("timeoutSeconds", request.timeoutSeconds());
        }
        if (request.onTimeout() != null) {
            body.put("onTimeout", request.onTimeout().wireName());
        }
        return body;
    }

    private static ObjectNode ref(WaitpointRef ref) {
        ObjectNode n = MAPPER.createObjectNode();
        putIf(n, "kind", ref.kind() == null ? null : ref.kind().wireName());
        putIf(n, "seconds", ref.seconds());
        putIf(n, "until", Timestamps.format(ref.until()));
        putIf(n, "waitpointId", ref.waitpointId());
        putIf(n, "runId", ref.runId());
        putIf(n, "batchId", ref.batchId());
        return n;
    }

    static SuspendResult suspendResult(JsonNode n) {
        return new SuspendResult(n.path("suspended").asBoolean(), Wire.list(n.path("results"), Wire::waitResult));
    }

    static StepRecord step(JsonNode n) {
        JsonNode output = n.get("output");
        return new StepRecord(text(n, "step"), output == null ? MAPPER.nullNode() : output, n.path("attempt").asInt(),
                n.path("seq").asLong(), instant(n, "createdAt"), n.path("replayed").asBoolean());
    }

    /** {@code nextAfter} (a seq, null on the last page) becomes the page's cursor, in decimal. */
    static Page<StepRecord> stepPage(JsonNode n) {
        JsonNode next = n.get("nextAfter");
        return new Page<>(Wire.items(n, OrchestrationWire::step),
                next == null || next.isNull() ? null : Long.toString(next.asLong()));
    }
}

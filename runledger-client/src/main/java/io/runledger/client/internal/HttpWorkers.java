package io.runledger.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.Completion;
import io.runledger.api.EventDraft;
import io.runledger.api.Failure;
import io.runledger.api.Heartbeat;
import io.runledger.api.ItemOutcome;
import io.runledger.api.Lease;
import io.runledger.api.LeaseRef;
import io.runledger.api.LeaseRequest;
import io.runledger.api.Run;
import io.runledger.api.RunError;
import io.runledger.api.RunMessage;
import io.runledger.api.Receipt;
import io.runledger.api.Settlement;
import io.runledger.api.StepRecord;
import io.runledger.api.SuspendRequest;
import io.runledger.api.SuspendResult;
import io.runledger.api.TriggerRequest;
import io.runledger.api.WorkerInfo;
import io.runledger.api.Workers;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** {@link Workers} over HTTP: the {@code workers} operations of the API, each fenced by the lease token. */
public final class HttpWorkers implements Workers {
    private final Transport transport;

    public HttpWorkers(Transport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    private static ObjectNode token(String leaseToken) {
        return Wire.MAPPER.createObjectNode().put("leaseToken", leaseToken);
    }

    @Override
    public List<Lease> lease(String scope, LeaseRequest request) {
        JsonNode answer = transport.post(Paths.scope(scope) + "/workers/lease", Wire.leaseBody(request),
                request.waitFor(), null, null).body();
        return Wire.list(answer.path("leases"), Wire::lease);
    }

    @Override
    public Heartbeat heartbeat(String scope, String runId, String leaseToken) {
        return Wire.heartbeat(transport.post(Paths.run(scope, runId) + "/heartbeat", token(leaseToken), null, runId,
                null).body());
    }

    @Override
    public List<Long> append(String scope, String runId, String leaseToken, List<EventDraft> events) {
        JsonNode answer = transport.post(Paths.run(scope, runId) + "/events", Wire.appendBody(leaseToken, events),
                null, runId, null).body();
        return Wire.list(answer.path("seqs"), JsonNode::asLong);
    }

    @Override
    public Run complete(String scope, String runId, String leaseToken, JsonNode output) {
        ObjectNode body = token(leaseToken);
        body.set("output", output == null ? Wire.MAPPER.nullNode() : output);
        return Wire.run(transport.post(Paths.run(scope, runId) + "/complete", body, null, runId, null).body());
    }

    @Override
    public Run fail(String scope, String runId, String leaseToken, RunError error, boolean retryable,
                    Double retryAfterSeconds) {
        ObjectNode body = token(leaseToken);
        body.set("error", Wire.error(error));
        body.put("retryable", retryable);
        Wire.putIf(body, "retryAfterSeconds", retryAfterSeconds);
        return Wire.run(transport.post(Paths.run(scope, runId) + "/fail", body, null, runId, null).body());
    }

    @Override
    public SuspendResult suspend(String scope, String runId, SuspendRequest request) {
        return OrchestrationWire.suspendResult(transport.post(Paths.run(scope, runId) + "/suspend",
                OrchestrationWire.suspendBody(request), null, runId, null).body());
    }

    @Override
    public StepRecord stepRecord(String scope, String runId, String step, String leaseToken, JsonNode output) {
        ObjectNode body = token(leaseToken);
        body.set("output", output == null ? Wire.MAPPER.nullNode() : output);
        return OrchestrationWire.step(transport.post(Paths.step(scope, runId, step), body, null, runId, null).body());
    }

    /** The trigger's body plus the fence and the step; 200 with {@code Idempotent-Replayed} when it existed. */
    @Override
    public Receipt triggerChild(String scope, String runId, String leaseToken, String step, String service,
                                TriggerRequest request) {
        ObjectNode body = Wire.triggerBody(request);
        body.put("leaseToken", leaseToken);
        body.put("step", step);
        body.put("service", service);
        Transport.Answer answer = transport.post(Paths.run(scope, runId) + "/children", body, null, runId, null);
        return Wire.receipt(answer.body(), answer.header("Idempotent-Replayed", "true"));
    }

    @Override
    public List<ItemOutcome<Settlement>> completeAll(String scope, List<Completion> items) {
        ArrayNode array = Wire.MAPPER.createArrayNode();
        for (Completion c : listed(items)) {
            if (c == null) {
                array.addNull(); // the server refuses the call, as the engine does
                continue;
            }
            ObjectNode item = array.addObject().put("runId", c.runId()).put("leaseToken", c.leaseToken());
            item.set("output", c.output() == null ? Wire.MAPPER.nullNode() : c.output());
        }
        return answers(Paths.scope(scope) + "/runs:complete", array, Wire::settlement);
    }

    @Override
    public List<ItemOutcome<Settlement>> failAll(String scope, List<Failure> items) {
        ArrayNode array = Wire.MAPPER.createArrayNode();
        for (Failure f : listed(items)) {
            if (f == null) {
                array.addNull();
                continue;
            }
            ObjectNode item = array.addObject().put("runId", f.runId()).put("leaseToken", f.leaseToken());
            item.set("error", f.error() == null ? Wire.MAPPER.nullNode() : Wire.error(f.error()));
            item.put("retryable", f.retryable());
            Wire.putIf(item, "retryAfterSeconds", f.retryAfterSeconds());
        }
        return answers(Paths.scope(scope) + "/runs:fail", array, Wire::settlement);
    }

    @Override
    public List<ItemOutcome<Heartbeat>> heartbeatAll(String scope, List<LeaseRef> items) {
        ArrayNode array = Wire.MAPPER.createArrayNode();
        for (LeaseRef l : listed(items)) {
            if (l == null) {
                array.addNull();
                continue;
            }
            array.addObject().put("runId", l.runId()).put("leaseToken", l.leaseToken());
        }
        return answers(Paths.scope(scope) + "/workers/heartbeat", array, Wire::heartbeat);
    }

    private static <T> List<T> listed(List<T> items) {
        return items == null ? List.of() : items;
    }

    /** Posts {@code {items}}; each answer is its value or, under {@code error}, the item's problem. */
    private <T> List<ItemOutcome<T>> answers(String path, ArrayNode items, Function<JsonNode, T> parse) {
        ObjectNode body = Wire.MAPPER.createObjectNode();
        body.set("items", items);
        JsonNode answer = transport.post(path, body, null, null, null).body();
        List<ItemOutcome<T>> outcomes = new ArrayList<>();
        for (JsonNode item : answer.path("items")) {
            JsonNode problem = item.get("error");
            if (problem != null && problem.isObject()) {
                outcomes.add(ItemOutcome.failed(Problems.toException(problem.path("status").asInt(500), problem,
                        item.path("runId").asText(null))));
            } else {
                outcomes.add(ItemOutcome.ok(parse.apply(item)));
            }
        }
        return outcomes;
    }

    @Override
    public List<WorkerInfo> list(String scope) {
        return Wire.items(transport.get(Paths.scope(scope) + "/workers", null, null, null).body(), Wire::worker);
    }

    @Override
    public RunMessage messageAck(String scope, String runId, String messageId, String leaseToken) {
        return Wire.message(transport.post(Paths.run(scope, runId) + "/messages/" + Transport.enc(messageId) + "/ack",
                token(leaseToken), null, runId, null).body());
    }
}

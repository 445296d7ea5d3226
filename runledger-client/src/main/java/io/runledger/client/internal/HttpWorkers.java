package io.runledger.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.EventDraft;
import io.runledger.api.Heartbeat;
import io.runledger.api.Lease;
import io.runledger.api.LeaseRequest;
import io.runledger.api.Run;
import io.runledger.api.RunError;
import io.runledger.api.RunMessage;
import io.runledger.api.WorkerInfo;
import io.runledger.api.Workers;
import java.util.List;
import java.util.Objects;

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
    public Run fail(String scope, String runId, String leaseToken, RunError error, boolean retryable) {
        ObjectNode body = token(leaseToken);
        body.set("error", Wire.error(error));
        body.put("retryable", retryable);
        return Wire.run(transport.post(Paths.run(scope, runId) + "/fail", body, null, runId, null).body());
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

package io.runledger.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.NewWaitpoint;
import io.runledger.api.Page;
import io.runledger.api.Waitpoint;
import io.runledger.api.WaitpointCreate;
import io.runledger.api.WaitpointFilter;
import io.runledger.api.Waitpoints;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** {@link Waitpoints} over HTTP: {@code .../waitpoints} and the key-less {@code /v1/callbacks/{secret}}. */
public final class HttpWaitpoints implements Waitpoints {
    private final Transport transport;

    public HttpWaitpoints(Transport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    /** 201 for a new token (with its callback URL), 200 for an idempotent repeat (without). */
    @Override
    public NewWaitpoint create(String scope, WaitpointCreate request) {
        Transport.Answer answer = transport.post(Paths.waitpoints(scope), OrchestrationWire.createBody(request), null,
                null, null);
        return OrchestrationWire.newWaitpoint(answer.body(), answer.status() == 200);
    }

    @Override
    public Waitpoint complete(String scope, String waitpointId, JsonNode data) {
        return OrchestrationWire.waitpoint(transport.post(Paths.waitpoint(scope, waitpointId) + "/complete",
                Wire.MAPPER.createObjectNode().set("data", orNull(data)), null, null, null).body());
    }

    /** The body is the data itself; the secret in the path is the authority, so no key is needed. */
    @Override
    public Waitpoint completeByCallback(String secret, JsonNode data) {
        return OrchestrationWire.waitpoint(transport.post(Paths.callback(secret), orNull(data), null, null, null)
                .body());
    }

    @Override
    public Waitpoint get(String scope, String waitpointId) {
        return OrchestrationWire.waitpoint(transport.get(Paths.waitpoint(scope, waitpointId), null, null, null).body());
    }

    /** A limit of 0 leaves the page size to the server. */
    @Override
    public Page<Waitpoint> list(String scope, WaitpointFilter filter) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("status", filter.status() == null ? null : filter.status().wireName());
        q.put("runId", filter.runId());
        q.put("limit", filter.limit() == 0 ? null : filter.limit());
        q.put("cursor", filter.cursor());
        return OrchestrationWire.waitpointPage(transport.get(Paths.waitpoints(scope), q, null, null).body());
    }

    private static JsonNode orNull(JsonNode data) {
        return data == null ? Wire.MAPPER.nullNode() : data;
    }
}

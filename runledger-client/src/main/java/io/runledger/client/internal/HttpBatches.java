package io.runledger.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.BatchInfo;
import io.runledger.api.BatchReceipt;
import io.runledger.api.Batches;
import io.runledger.api.TriggerRequest;
import java.util.List;
import java.util.Objects;

/** {@link Batches} over HTTP: {@code POST .../services/{service}/batches} and {@code GET .../batches/{id}}. */
public final class HttpBatches implements Batches {
    private final Transport transport;

    public HttpBatches(Transport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    @Override
    public BatchReceipt register(String scope, String service, List<TriggerRequest> items) {
        JsonNode answer = transport.post(Paths.service(scope, service) + "/batches", Wire.batchBody(items), null, null,
                null).body();
        return new BatchReceipt(answer.path("batchId").asText(), Wire.list(answer.path("receipts"),
                Wire::batchReceipt));
    }

    @Override
    public BatchInfo get(String scope, String batchId) {
        return Wire.batch(transport.get(Paths.scope(scope) + "/batches/" + Transport.enc(batchId), null, null, null)
                .body());
    }
}

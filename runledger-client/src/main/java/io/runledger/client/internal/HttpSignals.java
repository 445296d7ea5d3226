package io.runledger.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.RunMessage;
import io.runledger.api.Signal;
import io.runledger.api.Signals;
import java.util.List;
import java.util.Objects;

/** {@link Signals} over HTTP: {@code POST .../signals} and {@code GET .../messages}. */
public final class HttpSignals implements Signals {
    private final Transport transport;

    public HttpSignals(Transport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    /**
     * The server answers a signal with {@code {messageId, seq, status}} only; the rest of the
     * message is what was sent (a null severity is {@code info}, as the API defines). Its
     * {@code createdAt} is not in the answer and stays null; {@link #messages} has it.
     */
    @Override
    public RunMessage send(String scope, String runId, Signal signal) {
        JsonNode answer = transport.post(Paths.run(scope, runId) + "/signals", Wire.signalBody(signal), null, runId,
                null).body();
        return new RunMessage(answer.path("messageId").asText(), runId, answer.path("seq").asLong(), signal.type(),
                signal.severity() == null ? "info" : signal.severity(), signal.data(),
                answer.path("status").asText("pending"), null, null, null);
    }

    @Override
    public List<RunMessage> messages(String scope, String runId) {
        return Wire.items(transport.get(Paths.run(scope, runId) + "/messages", null, null, runId).body(),
                Wire::message);
    }
}

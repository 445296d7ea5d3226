package io.runledger.client.internal;

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

    /** The server answers a signal with the whole pending message, as {@link #messages} lists it. */
    @Override
    public RunMessage send(String scope, String runId, Signal signal) {
        return Wire.message(transport.post(Paths.run(scope, runId) + "/signals", Wire.signalBody(signal), null, runId,
                null).body());
    }

    @Override
    public List<RunMessage> messages(String scope, String runId) {
        return Wire.items(transport.get(Paths.run(scope, runId) + "/messages", null, null, runId).body(),
                Wire::message);
    }
}

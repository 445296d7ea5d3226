package io.runledger.core.internal.split;

import io.runledger.api.RunMessage;
import io.runledger.api.Signal;
import io.runledger.api.Signals;
import java.util.List;

/** Signals go to the store of the run they are for. */
record SplitSignals(Stores stores) implements Signals {
    @Override
    public RunMessage send(String scope, String runId, Signal signal) {
        return stores.of(runId).signals().send(scope, runId, signal);
    }

    @Override
    public List<RunMessage> messages(String scope, String runId) {
        return stores.of(runId).signals().messages(scope, runId);
    }
}

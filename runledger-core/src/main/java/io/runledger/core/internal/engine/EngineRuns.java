package io.runledger.core.internal.engine;

import io.runledger.api.CancelResult;
import io.runledger.api.EventPage;
import io.runledger.api.Page;
import io.runledger.api.Receipt;
import io.runledger.api.Run;
import io.runledger.api.RunFilter;
import io.runledger.api.Runs;
import io.runledger.api.TriggerRequest;
import io.runledger.core.WaitGroup;
import java.time.Duration;

/** {@link Runs} over the engine's operations. */
public final class EngineRuns implements Runs {
    private final TriggerOps triggers;
    private final RunReads reads;
    private final CancelOps cancels;
    private final WaitGroup waits;

    public EngineRuns(TriggerOps triggers, RunReads reads, CancelOps cancels, WaitGroup waits) {
        this.triggers = triggers;
        this.reads = reads;
        this.cancels = cancels;
        this.waits = waits;
    }

    @Override
    public Receipt trigger(String scope, String service, TriggerRequest request) {
        return triggers.trigger(scope, service, request);
    }

    @Override
    public Run get(String scope, String runId) {
        return reads.get(scope, runId);
    }

    @Override
    public Page<Run> list(String scope, RunFilter filter) {
        return reads.list(scope, filter);
    }

    @Override
    public EventPage events(String scope, String runId, long after, int limit) {
        return reads.events(scope, runId, after, limit);
    }

    @Override
    public Run await(String scope, String runId, Duration timeout) {
        return reads.await(scope, runId, timeout, waits);
    }

    @Override
    public CancelResult cancel(String scope, String runId, String reason) {
        return cancels.cancel(scope, runId, reason);
    }
}

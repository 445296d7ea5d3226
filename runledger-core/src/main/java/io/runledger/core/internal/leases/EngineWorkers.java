package io.runledger.core.internal.leases;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.runledger.api.Settlement;
import io.runledger.api.WorkerInfo;
import io.runledger.api.Workers;
import io.runledger.core.internal.notify.WaitGroup;
import io.runledger.core.internal.signals.SignalOps;
import java.util.List;

/** {@link Workers} over the engine's operations. */
public final class EngineWorkers implements Workers {
    private final WorkerOps ops;
    private final SignalOps signals;
    private final WaitGroup waits;

    public EngineWorkers(WorkerOps ops, SignalOps signals, WaitGroup waits) {
        this.ops = ops;
        this.signals = signals;
        this.waits = waits;
    }

    @Override
    public RunMessage messageAck(String scope, String runId, String messageId, String leaseToken) {
        return signals.ack(scope, runId, messageId, leaseToken);
    }

    @Override
    public List<Lease> lease(String scope, LeaseRequest request) {
        return ops.lease(scope, request, waits);
    }

    @Override
    public Heartbeat heartbeat(String scope, String runId, String leaseToken) {
        return ops.heartbeat(scope, runId, leaseToken);
    }

    @Override
    public List<Long> append(String scope, String runId, String leaseToken, List<EventDraft> events) {
        return ops.append(scope, runId, leaseToken, events);
    }

    @Override
    public Run complete(String scope, String runId, String leaseToken, JsonNode output) {
        return ops.complete(scope, runId, leaseToken, output);
    }

    @Override
    public Run fail(String scope, String runId, String leaseToken, RunError error, boolean retryable) {
        return ops.fail(scope, runId, leaseToken, error, retryable);
    }

    @Override
    public List<ItemOutcome<Settlement>> completeAll(String scope, List<Completion> items) {
        return settlements(ops.completeAll(scope, items));
    }

    @Override
    public List<ItemOutcome<Settlement>> failAll(String scope, List<Failure> items) {
        return settlements(ops.failAll(scope, items));
    }

    private static List<ItemOutcome<Settlement>> settlements(List<ItemOutcome<Run>> outcomes) {
        return outcomes.stream()
                .map(o -> o.isOk() ? ItemOutcome.ok(Settlement.of(o.value())) : ItemOutcome.<Settlement>failed(o.error()))
                .toList();
    }

    @Override
    public List<ItemOutcome<Heartbeat>> heartbeatAll(String scope, List<LeaseRef> items) {
        return ops.heartbeatAll(scope, items);
    }

    @Override
    public List<WorkerInfo> list(String scope) {
        return ops.list(scope);
    }
}

package io.runledger.core.internal.leases;

import io.runledger.api.SuspendResult;
import io.runledger.api.SuspendRequest;
import io.runledger.api.StepRecord;
import io.runledger.api.Receipt;
import io.runledger.api.TriggerRequest;
import io.runledger.core.internal.steps.StepOps;
import io.runledger.core.internal.runs.RunTrees;
import io.runledger.core.internal.waitpoints.SuspendOps;
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
    private final SuspendOps suspends;
    private final StepOps steps;
    private final RunTrees trees;
    private final WaitGroup waits;

    public EngineWorkers(WorkerOps ops, SignalOps signals, SuspendOps suspends, StepOps steps, RunTrees trees,
                         WaitGroup waits) {
        this.ops = ops;
        this.signals = signals;
        this.suspends = suspends;
        this.steps = steps;
        this.trees = trees;
        this.waits = waits;
    }

    @Override
    public SuspendResult suspend(String scope, String runId, SuspendRequest request) {
        return suspends.suspend(scope, runId, request);
    }

    @Override
    public StepRecord stepRecord(String scope, String runId, String step, String leaseToken, JsonNode output) {
        return steps.record(scope, runId, step, leaseToken, output);
    }

    @Override
    public Receipt triggerChild(String scope, String runId, String leaseToken, String step, String service,
                                TriggerRequest request) {
        return trees.triggerChild(scope, runId, leaseToken, step, service, request);
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
    public Run fail(String scope, String runId, String leaseToken, RunError error, boolean retryable,
                    Double retryAfterSeconds) {
        return ops.fail(scope, runId, leaseToken, error, retryable, retryAfterSeconds);
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

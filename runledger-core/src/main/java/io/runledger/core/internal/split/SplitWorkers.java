package io.runledger.core.internal.split;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.Completion;
import io.runledger.api.EventDraft;
import io.runledger.api.Failure;
import io.runledger.api.Heartbeat;
import io.runledger.api.ItemOutcome;
import io.runledger.api.Lease;
import io.runledger.api.LeaseRef;
import io.runledger.api.LeaseRequest;
import io.runledger.api.Receipt;
import io.runledger.api.Run;
import io.runledger.api.RunError;
import io.runledger.api.RunMessage;
import io.runledger.api.Settlement;
import io.runledger.api.StepRecord;
import io.runledger.api.SuspendRequest;
import io.runledger.api.SuspendResult;
import io.runledger.api.TriggerRequest;
import io.runledger.api.WorkerInfo;
import io.runledger.api.Workers;
import io.runledger.core.internal.kernel.RunIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Workers over both stores. A lease first takes what is queued on the main database without
 * waiting (the runs created before the split, retried or resumed), then the rest from the
 * runs database, where it long-polls: new runs arrive there. Every call about a leased run
 * goes where the run lives; batched calls are split by store and answered in their order.
 */
final class SplitWorkers implements Workers {
    private final Stores stores;

    SplitWorkers(Stores stores) {
        this.stores = stores;
    }

    @Override
    public List<Lease> lease(String scope, LeaseRequest request) {
        List<Lease> leases = new ArrayList<>(stores.main().workers().lease(scope, new LeaseRequest(request.workerId(),
                request.services(), request.max(), Duration.ZERO, request.version(), request.capabilities())));
        if (leases.size() < request.max()) {
            leases.addAll(stores.runs().workers().lease(scope, new LeaseRequest(request.workerId(), request.services(),
                    request.max() - leases.size(), leases.isEmpty() ? request.waitFor() : Duration.ZERO,
                    request.version(), request.capabilities())));
        }
        return leases;
    }

    @Override
    public Heartbeat heartbeat(String scope, String runId, String leaseToken) {
        return stores.of(runId).workers().heartbeat(scope, runId, leaseToken);
    }

    @Override
    public List<Long> append(String scope, String runId, String leaseToken, List<EventDraft> events) {
        return stores.of(runId).workers().append(scope, runId, leaseToken, events);
    }

    @Override
    public Run complete(String scope, String runId, String leaseToken, JsonNode output) {
        return stores.of(runId).workers().complete(scope, runId, leaseToken, output);
    }

    @Override
    public Run fail(String scope, String runId, String leaseToken, RunError error, boolean retryable,
                    Double retryAfterSeconds) {
        return stores.of(runId).workers().fail(scope, runId, leaseToken, error, retryable, retryAfterSeconds);
    }

    @Override
    public SuspendResult suspend(String scope, String runId, SuspendRequest request) {
        return stores.of(runId).workers().suspend(scope, runId, request);
    }

    @Override
    public StepRecord stepRecord(String scope, String runId, String step, String leaseToken, JsonNode output) {
        return stores.of(runId).workers().stepRecord(scope, runId, step, leaseToken, output);
    }

    @Override
    public Receipt triggerChild(String scope, String runId, String leaseToken, String step, String service,
                                TriggerRequest request) {
        return stores.of(runId).workers().triggerChild(scope, runId, leaseToken, step, service, request);
    }

    @Override
    public List<ItemOutcome<Settlement>> completeAll(String scope, List<Completion> items) {
        return byStore(items, Completion::runId, (w, part) -> w.completeAll(scope, part));
    }

    @Override
    public List<ItemOutcome<Settlement>> failAll(String scope, List<Failure> items) {
        return byStore(items, Failure::runId, (w, part) -> w.failAll(scope, part));
    }

    @Override
    public List<ItemOutcome<Heartbeat>> heartbeatAll(String scope, List<LeaseRef> items) {
        return byStore(items, LeaseRef::runId, (w, part) -> w.heartbeatAll(scope, part));
    }

    /** Each store answers its items in their order; the answers go back to the request's order. */
    private <I, O> List<ItemOutcome<O>> byStore(List<I> items, Function<I, String> runId,
                                               BiFunction<Workers, List<I>, List<ItemOutcome<O>>> call) {
        List<I> resident = new ArrayList<>();
        List<I> old = new ArrayList<>();
        for (I item : items) {
            (RunIds.resident(runId.apply(item)) ? resident : old).add(item);
        }
        if (old.isEmpty()) {
            return call.apply(stores.runs().workers(), resident);
        }
        if (resident.isEmpty()) {
            return call.apply(stores.main().workers(), old);
        }
        var fromRuns = call.apply(stores.runs().workers(), resident).iterator();
        var fromMain = call.apply(stores.main().workers(), old).iterator();
        List<ItemOutcome<O>> out = new ArrayList<>(items.size());
        for (I item : items) {
            out.add(RunIds.resident(runId.apply(item)) ? fromRuns.next() : fromMain.next());
        }
        return out;
    }

    /** A worker polls both stores, so each has its record of it: one entry, seen last where last seen. */
    @Override
    public List<WorkerInfo> list(String scope) {
        Map<String, WorkerInfo> byId = new LinkedHashMap<>();
        for (List<WorkerInfo> list : List.of(stores.runs().workers().list(scope), stores.main().workers().list(scope))) {
            for (WorkerInfo w : list) {
                byId.merge(w.workerId(), w, (a, b) -> {
                    WorkerInfo newer = a.lastSeenAt().isAfter(b.lastSeenAt()) ? a : b;
                    return new WorkerInfo(newer.workerId(), newer.services(), newer.version(), newer.capabilities(),
                            newer.lastSeenAt(), a.runsHeld() + b.runsHeld());
                });
            }
        }
        List<WorkerInfo> all = new ArrayList<>(byId.values());
        all.sort(Comparator.comparing(WorkerInfo::lastSeenAt).reversed().thenComparing(WorkerInfo::workerId));
        return all;
    }

    @Override
    public RunMessage messageAck(String scope, String runId, String messageId, String leaseToken) {
        return stores.of(runId).workers().messageAck(scope, runId, messageId, leaseToken);
    }
}

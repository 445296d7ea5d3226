package io.runledger.core.internal.leases;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.EventDraft;
import io.runledger.api.EventTypes;
import io.runledger.api.Heartbeat;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidNameException;
import io.runledger.api.Lease;
import io.runledger.api.LeaseLostException;
import io.runledger.api.LeaseRequest;
import io.runledger.api.NotFoundException;
import io.runledger.api.Run;
import io.runledger.api.RunAlreadySettledException;
import io.runledger.api.RunError;
import io.runledger.api.RunMessage;
import io.runledger.api.RunStatus;
import io.runledger.api.WorkerInfo;
import io.runledger.core.internal.kernel.KeyRelease;
import io.runledger.core.internal.kernel.Limits;
import io.runledger.core.internal.kernel.ServerEvents;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.notify.LongWait;
import io.runledger.core.internal.notify.WaitGroup;
import io.runledger.core.internal.notify.WakeUps;
import io.runledger.core.internal.signals.SignalOps;
import io.runledger.core.internal.store.EventStore;
import io.runledger.core.internal.store.Json;
import io.runledger.core.internal.store.RunStore;
import io.runledger.core.internal.store.ServiceStore;
import io.runledger.core.internal.store.StoredRun;
import io.runledger.core.internal.store.WorkerStore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;

/**
 * The worker's operations. Everything after the lease is fenced by the lease token in the
 * WHERE clause of one UPDATE; when it matches no row, {@link #diagnose} tells the caller
 * why (unknown run, a replay of the settled outcome, a different outcome, a lost lease).
 */
public final class WorkerOps {
    private static final int MAX_WORKER_ID = 255;
    private static final int MAX_ERROR_CODE = 128;
    private static final int MAX_ERROR_MESSAGE = 8192;

    private final Tx tx;
    private final RunStore store;
    private final EventStore ledger;
    private final ServiceStore serviceStore;
    private final WorkerStore workers;
    private final KeyRelease keys;
    private final WakeUps wakeUps;
    private final SignalOps signals;
    private final AttemptEnds attemptEnds;

    public WorkerOps(Tx tx, RunStore store, EventStore ledger, ServiceStore serviceStore, WorkerStore workers,
                     KeyRelease keys, WakeUps wakeUps, SignalOps signals) {
        this.tx = tx;
        this.store = store;
        this.ledger = ledger;
        this.serviceStore = serviceStore;
        this.workers = workers;
        this.attemptEnds = new AttemptEnds(store, ledger);
        this.keys = keys;
        this.wakeUps = wakeUps;
        this.signals = signals;
    }

    /**
     * Leases up to {@code max} runs, waiting up to {@code waitFor} for one. The first
     * attempt is one transaction that also records the worker as seen; after that a waiting
     * poll holds no connection and reads nothing until a wake-up of its scope's work (a new
     * run, a run come due, a key or a concurrency slot released) or the slow safety re-check.
     */
    public List<Lease> lease(String scope, LeaseRequest request, WaitGroup group) {
        InvalidNameException.requireValid("scope", scope);
        validate(request);
        List<String> services = List.copyOf(new LinkedHashSet<>(request.services()));
        AtomicBoolean seen = new AtomicBoolean();
        return LongWait.await(wakeUps, WakeUps.workKey(scope), group, request.waitFor(), () -> tx.run((h, changes) -> {
            if (!seen.get()) {
                workerSeen(h, scope, services, request);
                seen.set(true);
            }
            return leaseOnce(h, changes, scope, services, request);
        }), leases -> !leases.isEmpty());
    }

    /** Once per poll, not per re-check: the scope and services must exist; the worker is seen. */
    private void workerSeen(Handle h, String scope, List<String> services, LeaseRequest request) {
        if (!serviceStore.scopeExists(h, scope)) {
            throw NotFoundException.scope(scope);
        }
        for (String service : services) {
            if (serviceStore.serviceGet(h, scope, service).isEmpty()) {
                throw NotFoundException.service(scope, service);
            }
        }
        workers.workerSeen(h, scope, request.workerId(), services, request.version(), request.capabilities());
    }

    private List<Lease> leaseOnce(Handle h, Tx.Changes changes, String scope, List<String> services,
                                  LeaseRequest request) {
        Map<String, Integer> limits = serviceStore.servicesWithLimit(h, scope, services);
        List<String> unlimited = services.stream().filter(Predicate.not(limits::containsKey)).toList();
        List<StoredRun> leased = new ArrayList<>();
        if (!unlimited.isEmpty()) {
            leased.addAll(store.runsLease(h, scope, unlimited, request.max(), request.workerId()));
        }
        for (Map.Entry<String, Integer> limited : limits.entrySet()) {
            int want = request.max() - leased.size();
            if (want <= 0) {
                break;
            }
            // Serialise leasing of this service across instances, then count what runs now.
            store.serviceLock(h, scope, limited.getKey());
            long free = limited.getValue() - store.runningCount(h, scope, limited.getKey());
            if (free > 0) {
                leased.addAll(store.runsLease(h, scope, List.of(limited.getKey()),
                        (int) Math.min(want, free), request.workerId()));
            }
        }
        List<Lease> result = new ArrayList<>(leased.size());
        for (StoredRun row : leased) {
            Run r = row.run();
            changes.events(scope, r.runId());
            changes.started(scope, r.service());
            result.add(new Lease(r.runId(), r.service(), r.input(), r.attempt(), row.leaseToken(), r.leaseExpiresAt()));
        }
        return result;
    }

    public Heartbeat heartbeat(String scope, String runId, String leaseToken) {
        requireToken(leaseToken);
        return tx.run((h, changes) -> {
            StoredRun row = store.leaseExtend(h, scope, runId, leaseToken)
                    .orElseThrow(() -> diagnose(h, scope, runId, leaseToken, r -> false));
            workers.workerTouch(h, scope, row.run().workerId());
            List<RunMessage> messages = signals.deliver(h, scope, runId);
            return new Heartbeat(row.run().leaseExpiresAt(), row.run().stopRequestedAt() != null, messages);
        });
    }

    public List<Long> append(String scope, String runId, String leaseToken, List<EventDraft> events) {
        requireToken(leaseToken);
        if (events == null || events.isEmpty() || events.size() > Limits.MAX_EVENTS_PER_APPEND) {
            throw new InvalidArgumentException("events must hold 1.." + Limits.MAX_EVENTS_PER_APPEND + " events");
        }
        for (EventDraft event : events) {
            if (event == null || !EventTypes.isWorkerType(event.type())) {
                throw new InvalidArgumentException("event type " + shown(event == null ? null : event.type())
                        + " is not a worker event type (progress, output.delta, log, step.started,"
                        + " step.completed, custom.[a-z0-9._-]{1,120})");
            }
            Limits.requireSize("event data", event.data(), Limits.MAX_EVENT_DATA_BYTES);
        }
        return tx.run((h, changes) -> {
            long last = ledger.eventsAppendLeased(h, scope, runId, leaseToken, events)
                    .orElseThrow(() -> diagnose(h, scope, runId, leaseToken, r -> false))
                    .run().lastSeq();
            long first = last - events.size() + 1;
            changes.events(scope, runId);
            List<Long> seqs = new ArrayList<>(events.size());
            for (long seq = first; seq <= last; seq++) {
                seqs.add(seq);
            }
            return seqs;
        });
    }

    /** A refused type, named only if it is short and printable (it may hold line breaks). */
    private static String shown(String type) {
        if (type != null && type.length() <= 128 && type.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return "'" + type + "'";
        }
        return type == null ? "null" : "(too long or not printable)";
    }

    public Run complete(String scope, String runId, String leaseToken, JsonNode output) {
        requireToken(leaseToken);
        Limits.requireSize("output", output, Limits.MAX_OUTPUT_BYTES);
        JsonNode value = output == null ? Json.MAPPER.nullNode() : output;
        return settle((h, changes) -> {
            Optional<StoredRun> settled = store.runSucceed(h, scope, runId, leaseToken, value);
            if (settled.isEmpty()) {
                throw diagnose(h, scope, runId, leaseToken,
                        r -> r.status() == RunStatus.SUCCEEDED && Objects.equals(r.output(), value));
            }
            Run run = ledger.eventsAppend(h, scope, runId, List.of(ServerEvents.succeeded(settled.get().run()))).run();
            changes.events(scope, runId);
            changes.settled(scope, run.service(), run.status());
            keys.release(h, changes, scope, run.concurrencyKey());
            slotFreed(h, changes, scope, run.service());
            return run;
        });
    }

    /**
     * A run left 'running': in a service with a concurrency limit that frees a slot, so
     * polls waiting for that service must wake now, not at their safety re-check.
     */
    private void slotFreed(Handle h, Tx.Changes changes, String scope, String service) {
        if (!serviceStore.servicesWithLimit(h, scope, List.of(service)).isEmpty()) {
            changes.work(scope);
        }
    }

    public Run fail(String scope, String runId, String leaseToken, RunError error, boolean retryable) {
        requireToken(leaseToken);
        if (error == null) {
            throw new InvalidArgumentException("error is required");
        }
        Limits.optionalText("error.code", error.code(), MAX_ERROR_CODE);
        if (error.message().length() > MAX_ERROR_MESSAGE) {
            throw new InvalidArgumentException("error.message must be at most " + MAX_ERROR_MESSAGE + " characters");
        }
        Limits.requireSize("error.detail", error.detail(), Limits.MAX_EVENT_DATA_BYTES);
        JsonNode errorNode = ServerEvents.error(error);
        return settle((h, changes) -> {
            // Locked first: what the outcome is depends on the row (attempts left, a stop request).
            StoredRun locked = store.runLock(h, scope, runId).orElseThrow(() -> NotFoundException.run(runId));
            if (locked.run().status() != RunStatus.RUNNING || !leaseToken.equals(locked.leaseToken())) {
                throw diagnosis(locked, leaseToken, r -> sameFailure(r, errorNode));
            }
            StoredRun updated = attemptEnds.end(h, List.of(locked),
                    new AttemptOutcome.WorkerFailed(errorNode, retryable)).get(0);
            Run run = updated.run();
            changes.events(scope, runId);
            changes.settled(scope, run.service(), run.status());
            if (run.status().isTerminal()) {
                keys.release(h, changes, scope, run.concurrencyKey());
            } else if (updated.leasable()) {
                changes.work(scope);
            }
            slotFreed(h, changes, scope, run.service());
            return run;
        });
    }

    public List<WorkerInfo> list(String scope) {
        InvalidNameException.requireValid("scope", scope);
        return tx.read(h -> workers.workersList(h, scope));
    }

    /** A repeated failure report: the stored outcome came from this very error. */
    private static boolean sameFailure(Run r, JsonNode errorNode) {
        RunError stored = r.error();
        if (stored == null) {
            return false;
        }
        JsonNode storedNode = ServerEvents.error(stored);
        return switch (r.status()) {
            case FAILED, ACCEPTED -> storedNode.equals(errorNode);
            case CANCELLED -> Objects.equals(stored.detail(), errorNode);
            default -> false;
        };
    }

    /**
     * Why a fenced write matched no row. A replay of the outcome already stored by the same
     * lease is answered with that outcome ({@link ReplayedOutcome}, unwrapped by
     * {@link Tx}); anything else is an error.
     */
    private RuntimeException diagnose(Handle h, String scope, String runId, String token, Predicate<Run> sameOutcome) {
        StoredRun row = store.runGet(h, scope, runId).orElseThrow(() -> NotFoundException.run(runId));
        return diagnosis(row, token, sameOutcome);
    }

    private static RuntimeException diagnosis(StoredRun row, String token, Predicate<Run> sameOutcome) {
        Run run = row.run();
        if (token.equals(row.leaseToken()) && sameOutcome.test(run)) {
            return new ReplayedOutcome(run);
        }
        if (run.status().isTerminal()) {
            return new RunAlreadySettledException(run.runId(), run.status());
        }
        return new LeaseLostException(run.runId());
    }

    private Run settle(Tx.Work<Run> work) {
        try {
            return tx.run(work);
        } catch (ReplayedOutcome replay) {
            return replay.run();
        }
    }

    private static void requireToken(String token) {
        if (token == null || token.isBlank()) {
            throw new InvalidArgumentException("leaseToken is required");
        }
    }

    private static void validate(LeaseRequest r) {
        Limits.optionalText("workerId", r.workerId(), MAX_WORKER_ID);
        if (r.workerId() == null) {
            throw new InvalidArgumentException("workerId is required");
        }
        if (r.services().isEmpty()) {
            throw new InvalidArgumentException("services must name at least one service");
        }
        r.services().forEach(s -> InvalidNameException.requireValid("service", s));
        if (r.services().size() > 100) {
            throw new InvalidArgumentException("services must name at most 100 services");
        }
        Limits.range("max", r.max(), 1, LeaseRequest.MAX_BATCH);
        if (r.waitFor().isNegative() || r.waitFor().compareTo(LeaseRequest.MAX_WAIT) > 0) {
            throw new InvalidArgumentException("waitSeconds must be between 0 and " + LeaseRequest.MAX_WAIT.toSeconds());
        }
        Limits.optionalText("version", r.version(), MAX_WORKER_ID);
        Limits.requireSize("capabilities", r.capabilities(), Limits.MAX_METADATA_BYTES);
    }
}

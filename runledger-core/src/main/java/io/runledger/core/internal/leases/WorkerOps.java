package io.runledger.core.internal.leases;

import io.runledger.core.internal.steps.StepOps;
import io.runledger.core.internal.kernel.Fencing;
import io.runledger.core.internal.kernel.GroupCommit;
import io.runledger.core.internal.kernel.Retries;
import java.time.Duration;
import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.Completion;
import io.runledger.api.EventDraft;
import io.runledger.api.EventTypes;
import io.runledger.api.Failure;
import io.runledger.api.Heartbeat;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidNameException;
import io.runledger.api.ItemOutcome;
import io.runledger.api.Lease;
import io.runledger.api.LeaseRef;
import io.runledger.api.LeaseRequest;
import io.runledger.api.NotFoundException;
import io.runledger.api.Run;
import io.runledger.api.RunError;
import io.runledger.api.RunLedgerException;
import io.runledger.api.RunMessage;
import io.runledger.api.RunStatus;
import io.runledger.api.ServiceInfo;
import io.runledger.api.WorkerInfo;
import io.runledger.core.internal.kernel.KeyRelease;
import io.runledger.core.internal.kernel.ServiceCache;
import io.runledger.core.internal.kernel.Limits;
import io.runledger.core.internal.kernel.ServerEvents;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.notify.LongWait;
import io.runledger.core.internal.notify.WaitingPolls;
import io.runledger.core.internal.notify.WaitGroup;
import io.runledger.core.internal.notify.WakeUps;
import io.runledger.core.internal.signals.SignalOps;
import io.runledger.core.internal.store.EventStore;
import io.runledger.core.internal.store.Fenced;
import io.runledger.core.internal.store.Json;
import io.runledger.core.internal.store.RunStore;
import io.runledger.core.internal.store.ServiceStore;
import io.runledger.core.internal.store.StoredRun;
import io.runledger.core.internal.store.WorkerStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;
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
    private final ServiceCache serviceCache;
    private final WorkerStore workers;
    private final KeyRelease keys;
    private final WakeUps wakeUps;
    private final SignalOps signals;
    private final AttemptEnds attemptEnds;
    private final StepOps steps;
    private final WaitingPolls polls;
    private final LeaseClaims claims = new LeaseClaims(this::claimGroup);
    private final CompletionGroup completions = new CompletionGroup(this::succeedUnkeyed);
    private final SeenWorkers seenLately = new SeenWorkers();

    /** @param polls where a waiting poll offers itself to triggers (shared with them) */
    public WorkerOps(Tx tx, RunStore store, EventStore ledger, ServiceStore serviceStore, ServiceCache serviceCache,
                     WorkerStore workers, KeyRelease keys, WakeUps wakeUps, SignalOps signals, StepOps steps,
                     WaitingPolls polls) {
        this.polls = polls;
        this.steps = steps;
        this.tx = tx;
        this.store = store;
        this.ledger = ledger;
        this.serviceStore = serviceStore;
        this.serviceCache = serviceCache;
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
        Supplier<List<Lease>> claim = () -> claims.claim(new LeaseClaims.Claim(scope, services, request, seen,
                oneStatement(scope, services, request, seen)));
        if (request.waitFor().isZero()) {
            return claim.get();
        }
        // While it waits, the poll is offered to triggers, which may hand it their run.
        WaitingPolls.Poll poll = polls.poll(scope, services, request.workerId());
        List<Lease> answer = List.of();
        try {
            answer = LongWait.await(wakeUps, WakeUps.workKey(scope), group, request.waitFor(), () -> {
                Lease handed = poll.settle();
                if (handed != null) {
                    return List.of(handed);
                }
                List<Lease> claimed = claim.get();
                if (claimed.isEmpty()) {
                    poll.open();
                }
                return claimed;
            }, leases -> !leases.isEmpty(), poll::waitsOn);
        } finally {
            // A trigger may have taken the offer as the wait ended: its run is this poll's.
            Lease late = poll.settle();
            if (late != null) {
                answer = List.of(late);
            }
        }
        return answer;
    }

    /**
     * One claim. When memory knows the services exist and have no concurrency limit, and
     * the worker was recorded as seen lately, the claim is its one statement, run without a
     * transaction around it (no BEGIN, no COMMIT round trip); otherwise one transaction reads
     * what memory lacks and records the worker.
     */
    private List<Lease> claimOnce(String scope, List<String> services, LeaseRequest request, AtomicBoolean seen) {
        Map<String, Integer> known = serviceCache.limits(scope, services).orElse(null);
        if (oneStatement(known, scope, request, seen)) {
            seen.set(true);
            return tx.runStatement((h, changes) -> leaseOnce(h, changes, scope, services, request, known));
        }
        boolean wasSeen = seen.get();
        List<Lease> leases = tx.run((h, changes) -> claim(h, changes, scope, services, request, seen, known));
        if (!wasSeen) {
            seenLately.recorded(scope, request); // committed: the worker row says so now
        }
        return leases;
    }

    /** Whether the claim can be its one statement, by what memory knows now (see below). */
    private boolean oneStatement(String scope, List<String> services, LeaseRequest request, AtomicBoolean seen) {
        return oneStatement(serviceCache.limits(scope, services).orElse(null), scope, request, seen);
    }

    /**
     * Whether the claim can be its one statement: memory knows the services ({@code known},
     * their limits, or null) and that none has a concurrency limit, and the worker was
     * recorded as seen lately.
     */
    private boolean oneStatement(Map<String, Integer> known, String scope, LeaseRequest request, AtomicBoolean seen) {
        return known != null && known.isEmpty() && (seen.get() || seenLately.recent(scope, request));
    }

    /**
     * Claims a group of polls queued in {@link LeaseClaims}. Several polls that ask for the
     * same services are one statement: the runs it claims are handed out in the claim's
     * order, up to each poll's maximum, so the first poll gets the oldest runs and a poll
     * that finds nothing left is answered with none (a waiting one goes on waiting).
     */
    private void claimGroup(List<GroupCommit.Entry<LeaseClaims.Claim, List<Lease>>> group) {
        LeaseClaims.Claim head = group.get(0).item();
        if (group.size() > 1 && oneStatement(head.scope(), head.services(), head.request(), head.seen())) {
            List<String> slots = new ArrayList<>();
            for (var e : group) {
                e.item().seen().set(true);
                slots.addAll(Collections.nCopies(e.item().max(), e.item().request().workerId()));
            }
            List<Lease> leases = tx.runStatement((h, changes) -> leased(h, changes, head.scope(),
                    store.runsLease(h, head.scope(), head.services(), slots)));
            int from = 0;
            for (var e : group) {
                int to = Math.min(leases.size(), from + e.item().max());
                e.answer(from < to ? List.copyOf(leases.subList(from, to)) : List.of());
                from = to;
            }
            return;
        }
        // One poll, or a limit came up since they queued: each claims on its own, with its checks.
        for (var e : group) {
            LeaseClaims.Claim c = e.item();
            try {
                e.answer(claimOnce(c.scope(), c.services(), c.request(), c.seen()));
            } catch (RuntimeException failure) {
                e.fail(failure);
            }
        }
    }

    /**
     * One claim: the first also records the worker as seen and checks its services.
     * {@code known}: the services' limits from memory, or null to read them.
     */
    private List<Lease> claim(Handle h, Tx.Changes changes, String scope, List<String> services, LeaseRequest request,
                              AtomicBoolean seen, Map<String, Integer> known) {
        Map<String, Integer> limits;
        if (!seen.get()) {
            limits = workerSeen(h, scope, services, request);
            seen.set(true);
        } else {
            // a woken poll: the limits from memory when fresh, one round trip less
            limits = known != null ? known : serviceCache.limits(h, scope, services);
        }
        return leaseOnce(h, changes, scope, services, request, limits);
    }

    /**
     * Once per poll, not per re-check: the scope and services must exist; the worker is seen.
     * One read checks all services; returns the capped ones with their limits.
     */
    private Map<String, Integer> workerSeen(Handle h, String scope, List<String> services, LeaseRequest request) {
        Map<String, ServiceInfo> found = serviceCache.readAll(h, scope, services);
        if (found.size() < services.size()) {
            if (!serviceStore.scopeExists(h, scope)) {
                throw NotFoundException.scope(scope);
            }
            String missing = services.stream().filter(s -> !found.containsKey(s)).findFirst().orElseThrow();
            throw NotFoundException.service(scope, missing);
        }
        workers.workerSeen(h, scope, request.workerId(), services, request.version(), request.capabilities());
        return ServiceCache.limitsOf(found);
    }

    private List<Lease> leaseOnce(Handle h, Tx.Changes changes, String scope, List<String> services,
                                  LeaseRequest request, Map<String, Integer> limits) {
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
        return leased(h, changes, scope, leased);
    }

    /** The leases of runs just claimed, with their steps' memos. */
    private List<Lease> leased(Handle h, Tx.Changes changes, String scope, List<StoredRun> leased) {
        for (StoredRun row : leased) {
            Run r = row.run();
            changes.eventsNotified(scope, r.runId()); // runsLease sent the NOTIFY itself
            changes.started(scope, r.service());
        }
        return steps.withMemos(h, scope, leased);
    }

    public Heartbeat heartbeat(String scope, String runId, String leaseToken) {
        return heartbeatAll(scope, List.of(new LeaseRef(runId, leaseToken))).get(0).orThrow();
    }

    /**
     * Extends many leases in one transaction: one UPDATE for all that still hold, one
     * touch of their workers, one delivery of their pending messages; a lease that did
     * not hold is diagnosed on its own.
     */
    public List<ItemOutcome<Heartbeat>> heartbeatAll(String scope, List<LeaseRef> items) {
        ItemBatch<Heartbeat> batch = ItemBatch.open(items, LeaseRef::runId);
        for (int i = 0; i < items.size(); i++) {
            try {
                Fencing.requireToken(items.get(i).leaseToken());
                batch.pending(i);
            } catch (RunLedgerException e) {
                batch.answer(i, ItemOutcome.failed(e));
            }
        }
        return batch.settle(tx, (h, changes, indexes, answers) -> {
            List<Fenced> fenced = indexes.stream()
                    .map(i -> new Fenced(items.get(i).runId(), items.get(i).leaseToken())).toList();
            Map<String, StoredRun> extended = byRunId(store.leasesExtend(h, scope, fenced));
            workers.workersTouch(h, scope, extended.values().stream().map(r -> r.run().workerId())
                    .filter(Objects::nonNull).collect(Collectors.toCollection(TreeSet::new)));
            Map<String, List<RunMessage>> messages = signals.deliver(h, scope, extended.keySet());
            for (int i : indexes) {
                LeaseRef item = items.get(i);
                StoredRun row = extended.get(item.runId());
                if (row == null) {
                    answers.answer(i, diagnosed(h, scope, item.runId(), item.leaseToken(), r -> false));
                } else {
                    answers.answer(i, ItemOutcome.ok(new Heartbeat(row.run().leaseExpiresAt(),
                            row.run().stopRequestedAt() != null, messages.getOrDefault(item.runId(), List.of()))));
                }
            }
        });
    }

    public List<Long> append(String scope, String runId, String leaseToken, List<EventDraft> events) {
        Fencing.requireToken(leaseToken);
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
        return completeAll(scope, List.of(new Completion(runId, leaseToken, output))).get(0).orThrow();
    }

    /**
     * Completes many runs: one statement settles every run still running under its token
     * and appends its run.succeeded event. Runs without a concurrency key need nothing after
     * that statement, which then runs on its own (autocommit: no BEGIN, no COMMIT round trip),
     * shared with the completions of other calls of the scope that queued meanwhile
     * ({@link CompletionGroup});
     * the items it did not match go to one transaction, where keyed runs are settled with
     * their keys handed over and the rest are diagnosed one by one (a replay of the same
     * output answers the stored run).
     */
    public List<ItemOutcome<Run>> completeAll(String scope, List<Completion> items) {
        ItemBatch<Run> batch = ItemBatch.open(items, Completion::runId);
        JsonNode[] outputs = new JsonNode[items.size()];
        for (int i = 0; i < items.size(); i++) {
            Completion item = items.get(i);
            try {
                Fencing.requireToken(item.leaseToken());
                Limits.requireSize("output", item.output(), Limits.MAX_OUTPUT_BYTES);
                outputs[i] = item.output() == null ? Json.MAPPER.nullNode() : item.output();
                batch.pending(i);
            } catch (RunLedgerException e) {
                batch.answer(i, ItemOutcome.failed(e));
            }
        }
        completeUnkeyed(scope, items, outputs, batch);
        return batch.settle(tx, (h, changes, indexes, answers) -> {
            List<StoredRun> done = succeed(h, scope, items, outputs, indexes);
            Map<String, StoredRun> settled = byRunId(done);
            for (int i : indexes) {
                Completion item = items.get(i);
                StoredRun row = settled.get(item.runId());
                JsonNode value = outputs[i];
                answers.answer(i, row != null ? ItemOutcome.ok(row.run()) : diagnosed(h, scope, item.runId(),
                        item.leaseToken(), r -> r.status() == RunStatus.SUCCEEDED && Objects.equals(r.output(), value)));
            }
            left(h, changes, scope, done, List.of(), true);
        });
    }

    /** The statement of {@link #completeAll} on its own, for the runs without a concurrency key. */
    private void completeUnkeyed(String scope, List<Completion> items, JsonNode[] outputs, ItemBatch<Run> batch) {
        List<Integer> indexes = batch.pendingItems();
        if (indexes.isEmpty()) {
            return;
        }
        List<StoredRun> done;
        try {
            done = completions.settle(scope, fenced(items, indexes), indexes.stream().map(i -> outputs[i]).toList());
        } catch (InvalidArgumentException unstorable) {
            return; // it wrote nothing; the transaction settles the items one by one
        }
        Map<String, StoredRun> settled = byRunId(done);
        for (int i : indexes) {
            StoredRun row = settled.get(items.get(i).runId());
            if (row != null) {
                batch.settledAlready(i, ItemOutcome.ok(row.run()));
            }
        }
    }

    /** The settling statement of {@link #completeAll} over the items at {@code indexes}, keyed runs too. */
    private List<StoredRun> succeed(Handle h, String scope, List<Completion> items, JsonNode[] outputs,
                                    List<Integer> indexes) {
        return store.runsSucceed(h, scope, fenced(items, indexes), indexes.stream().map(i -> outputs[i]).toList(),
                EventTypes.SUCCEEDED, false);
    }

    private static List<Fenced> fenced(List<Completion> items, List<Integer> indexes) {
        return indexes.stream().map(i -> new Fenced(items.get(i).runId(), items.get(i).leaseToken())).toList();
    }

    /** The settling statement for runs without a concurrency key, on its own (autocommit). */
    private List<StoredRun> succeedUnkeyed(String scope, List<Fenced> items, List<JsonNode> outputs) {
        return tx.runStatement((h, changes) -> {
            List<StoredRun> rows = store.runsSucceed(h, scope, items, outputs, EventTypes.SUCCEEDED, true);
            rows.forEach(row -> noteSettled(changes, scope, row.run(), true));
            return rows;
        });
    }

    public Run fail(String scope, String runId, String leaseToken, RunError error, boolean retryable,
                    Double retryAfterSeconds) {
        return failAll(scope, List.of(new Failure(runId, leaseToken, error, retryable, retryAfterSeconds)))
                .get(0).orThrow();
    }

    /**
     * Fails many attempts in one transaction: the runs are locked in one statement,
     * {@link AttemptOutcome} decides each outcome (retry, fail or cancel), and
     * {@link AttemptEnds} writes them all in one UPDATE and one event append. An item whose
     * run is not running under its token is diagnosed (a replay answers the stored run).
     */
    public List<ItemOutcome<Run>> failAll(String scope, List<Failure> items) {
        ItemBatch<Run> batch = ItemBatch.open(items, Failure::runId);
        JsonNode[] errors = new JsonNode[items.size()];
        for (int i = 0; i < items.size(); i++) {
            try {
                errors[i] = errorNode(items.get(i));
                batch.pending(i);
            } catch (RunLedgerException e) {
                batch.answer(i, ItemOutcome.failed(e));
            }
        }
        return batch.settle(tx, (h, changes, indexes, answers) -> {
            // Locked first: what the outcome is depends on the row (attempts left, a stop request).
            Map<String, StoredRun> locked = byRunId(store.runsLock(h, scope,
                    indexes.stream().map(i -> items.get(i).runId()).filter(Objects::nonNull).toList()));
            List<Integer> ending = new ArrayList<>();
            List<StoredRun> rows = new ArrayList<>();
            List<AttemptOutcome.Cause> causes = new ArrayList<>();
            for (int i : indexes) {
                Failure item = items.get(i);
                StoredRun row = locked.get(item.runId());
                JsonNode errorNode = errors[i];
                if (row == null) {
                    answers.answer(i, ItemOutcome.failed(NotFoundException.run(item.runId())));
                } else if (row.run().status() != RunStatus.RUNNING || !item.leaseToken().equals(row.leaseToken())) {
                    answers.answer(i, outcome(diagnosis(row, item.leaseToken(), r -> sameFailure(r, errorNode))));
                } else {
                    ending.add(i);
                    rows.add(row);
                    causes.add(new AttemptOutcome.WorkerFailed(errorNode, item.retryable(),
                            item.retryAfterSeconds() == null ? null
                                    : Duration.ofNanos((long) (item.retryAfterSeconds() * 1e9))));
                }
            }
            List<StoredRun> ended = attemptEnds.end(h, rows, causes);
            for (int k = 0; k < ended.size(); k++) {
                answers.answer(ending.get(k), ItemOutcome.ok(ended.get(k).run()));
            }
            left(h, changes, scope, ended.stream().filter(r -> r.run().status().isTerminal()).toList(),
                    ended.stream().filter(r -> !r.run().status().isTerminal()).toList(), false);
        });
    }

    /** The checked error of a failure report, as stored; throws the item's refusal. */
    private static JsonNode errorNode(Failure item) {
        Fencing.requireToken(item.leaseToken());
        Retries.seconds("retryAfterSeconds", item.retryAfterSeconds());
        RunError error = item.error();
        if (error == null) {
            throw new InvalidArgumentException("error is required");
        }
        Limits.optionalText("error.code", error.code(), MAX_ERROR_CODE);
        if (error.message().length() > MAX_ERROR_MESSAGE) {
            throw new InvalidArgumentException("error.message must be at most " + MAX_ERROR_MESSAGE + " characters");
        }
        Limits.requireSize("error.detail", error.detail(), Limits.MAX_EVENT_DATA_BYTES);
        return ServerEvents.error(error);
    }

    /**
     * What follows runs that left 'running' in this transaction: {@code settled} ones are
     * terminal and give up their concurrency keys (handed over in key order, so concurrent
     * batches take the keys' locks in one order), {@code requeued} ones are back in the
     * queue. Either frees a slot of a service with a concurrency limit, so polls waiting for
     * that service must wake now, not at their safety re-check. {@code settledNotified}: the
     * statement that settled them sent their streams' NOTIFY itself.
     */
    private void left(Handle h, Tx.Changes changes, String scope, List<StoredRun> settled, List<StoredRun> requeued,
                      boolean settledNotified) {
        Set<String> services = new TreeSet<>();
        Set<String> keysToRelease = new TreeSet<>();
        for (StoredRun row : settled) {
            Run run = row.run();
            noteSettled(changes, scope, run, settledNotified);
            services.add(run.service());
            if (run.concurrencyKey() != null) {
                keysToRelease.add(run.concurrencyKey());
            }
        }
        for (StoredRun row : requeued) {
            changes.events(scope, row.run().runId());
            if (row.run().status() == RunStatus.SCHEDULED) {
                changes.dueAt(row.run().runAt()); // a retry after its backoff delay
            }
            services.add(row.run().service());
            if (row.leasable()) {
                changes.work(scope);
            }
        }
        for (String key : keysToRelease) {
            keys.release(h, changes, scope, key);
        }
        List<String> touched = List.copyOf(services);
        if (!touched.isEmpty() && !serviceCache.limits(h, scope, touched).isEmpty()) {
            changes.work(scope);
        }
    }

    /** A settled run's wake-ups ({@code notified}: the settling statement sent its NOTIFY) and its count. */
    private static void noteSettled(Tx.Changes changes, String scope, Run run, boolean notified) {
        if (notified) {
            changes.eventsNotified(scope, run.runId());
        } else {
            changes.events(scope, run.runId());
        }
        changes.settled(scope, run.service(), run.status());
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
     * lease is answered with that outcome ({@link ReplayedOutcome}); anything else is an error.
     */
    private RuntimeException diagnose(Handle h, String scope, String runId, String token, Predicate<Run> sameOutcome) {
        StoredRun row = store.runGet(h, scope, runId).orElse(null);
        return row == null ? NotFoundException.run(runId) : diagnosis(row, token, sameOutcome);
    }

    /** {@link #diagnose} as an item's answer. */
    @SuppressWarnings("unchecked")
    private <T> ItemOutcome<T> diagnosed(Handle h, String scope, String runId, String token,
                                         Predicate<Run> sameOutcome) {
        return (ItemOutcome<T>) outcome(diagnose(h, scope, runId, token, sameOutcome));
    }

    private static ItemOutcome<Run> outcome(RuntimeException diagnosis) {
        return switch (diagnosis) {
            case ReplayedOutcome replay -> ItemOutcome.ok(replay.run());
            case RunLedgerException refusal -> ItemOutcome.failed(refusal);
            default -> throw diagnosis;
        };
    }

    private static RuntimeException diagnosis(StoredRun row, String token, Predicate<Run> sameOutcome) {
        Run run = row.run();
        if (token.equals(row.leaseToken()) && sameOutcome.test(run)) {
            return new ReplayedOutcome(run);
        }
        return Fencing.refusal(run);
    }

    private static Map<String, StoredRun> byRunId(List<StoredRun> rows) {
        Map<String, StoredRun> byId = new HashMap<>();
        rows.forEach(r -> byId.put(r.run().runId(), r));
        return byId;
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

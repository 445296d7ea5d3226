package io.runledger.core.internal.runs;

import io.runledger.core.internal.kernel.Retries;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.ConcurrencyConflictException;
import io.runledger.api.EventDraft;
import io.runledger.api.IdempotencyKeyReusedException;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidNameException;
import io.runledger.api.NotFoundException;
import io.runledger.api.OnConflict;
import io.runledger.api.Receipt;
import io.runledger.api.Run;
import io.runledger.api.RunStatus;
import io.runledger.api.ServiceInfo;
import io.runledger.api.Timestamps;
import io.runledger.api.TriggerRequest;
import io.runledger.api.ValidationReport;
import io.runledger.core.internal.kernel.Limits;
import io.runledger.core.internal.kernel.RunIds;
import io.runledger.core.internal.kernel.ServerEvents;
import io.runledger.core.internal.kernel.ServiceCache;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.notify.WaitingPolls;
import io.runledger.core.internal.schema.InputSchemas;
import io.runledger.core.internal.store.ClaimedKey;
import io.runledger.core.internal.store.EventStore;
import io.runledger.core.internal.store.IdempotencyClaim;
import io.runledger.core.internal.store.IdempotencyRow;
import io.runledger.core.internal.store.IdempotencyStore;
import io.runledger.core.internal.store.Json;
import io.runledger.core.internal.store.RunInsert;
import io.runledger.core.internal.store.RunStore;
import io.runledger.core.internal.store.ServiceAt;
import io.runledger.core.internal.store.ServiceStore;
import io.runledger.core.internal.store.StoredRun;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;

/**
 * Registers runs. One transaction writes the idempotency row, the run row and its
 * {@code run.accepted} event and sends the NOTIFY; the receipt is built only after it
 * commits (invariant 1).
 */
public final class TriggerOps {
    /**
     * Group transactions in flight at once: two, so one group is built and sent while the
     * other waits for its fsync.
     */
    private static final int GROUPS_IN_FLIGHT = 2;

    private final RunIds ids;
    private final Tx tx;
    private final RunStore store;
    private final ServiceStore services;
    private final EventStore ledger;
    private final IdempotencyStore idempotency;
    private final InputSchemas schemas;
    private final CancelOps cancels;
    private final Duration idempotencyTtl;
    private final ServiceCache serviceCache;
    private final TriggerGroup group;

    /** The ids this engine mints: every run created through it, its children and batches too. */
    public RunIds ids() {
        return ids;
    }

    public TriggerOps(Tx tx, RunStore store, ServiceStore services, ServiceCache serviceCache, EventStore ledger,
                      IdempotencyStore idempotency, InputSchemas schemas, CancelOps cancels, Duration idempotencyTtl,
                      RunIds ids, WaitingPolls polls) {
        this.ids = ids;
        this.tx = tx;
        this.store = store;
        this.services = services;
        this.serviceCache = serviceCache;
        this.group = new TriggerGroup(tx, store, idempotency, idempotencyTtl.toSeconds(), GROUPS_IN_FLIGHT,
                (h, changes, scope, runId, reason) -> cancelStopped(h, changes, scope, runId, reason), polls,
                serviceCache);
        this.ledger = ledger;
        this.idempotency = idempotency;
        this.schemas = schemas;
        this.cancels = cancels;
        this.idempotencyTtl = idempotencyTtl;
    }

    public Receipt trigger(String scope, String service, TriggerRequest request) {
        InvalidNameException.requireValid("scope", scope);
        InvalidNameException.requireValid("service", service);
        validate(request);
        String runId = ids.run();
        Supplier<Receipt> alone = () -> tx.run((h, changes) -> register(h, changes, scope, service, request, runId, null));
        if (groupable(request)) {
            Optional<ServiceInfo> svc = cachedService(scope, service);
            if (svc.isPresent()) {
                RunInsert insert = immediateRun(svc.get(), scope, runId, request, null);
                IdempotencyClaim claim = request.idempotencyKey() == null ? null : new IdempotencyClaim(scope,
                        service, request.idempotencyKey(), requestHash(request), runId, idempotencyTtl.toSeconds());
                return group.trigger(insert, ServerEvents.accepted(insert), claim, alone);
            }
            // unknown scope or service: the full path says which, as a 404
        }
        return alone.get();
    }

    /**
     * A trigger whose checks can all be made in memory against the cached service, or in
     * one statement for the whole group (its idempotency key): no concurrency key (a lock),
     * no parent (a read), and due at once (no decision on the database's clock). These are
     * group-committed.
     */
    static boolean groupable(TriggerRequest r) {
        return r.concurrencyKey() == null && r.parentRunId() == null && r.runAt() == null && r.delaySeconds() == null;
    }

    /** A {@linkplain #groupable groupable} trigger without an idempotency key: a batch inserts these together. */
    public static boolean immediate(TriggerRequest r) {
        return groupable(r) && r.idempotencyKey() == null;
    }

    private static int priority(TriggerRequest r) {
        return r.priority() == null ? TriggerRequest.DEFAULT_PRIORITY : r.priority();
    }

    /** The service from the cache, read (and cached) if need be; empty if it does not exist. */
    Optional<ServiceInfo> cachedService(String scope, String service) {
        return serviceCache.fresh(scope, service).or(() -> tx.read(h -> serviceCache.read(h, scope, service)));
    }

    /** The run of a {@linkplain #groupable groupable} trigger, its input checked against the schema. */
    public RunInsert immediateRun(ServiceInfo svc, String scope, String runId, TriggerRequest request, String batchId) {
        schemas.requireValid(svc.inputSchema(), request.input());
        return new RunInsert(
                scope, runId, svc.service(), RunStatus.ACCEPTED,
                request.maxAttempts() != null ? request.maxAttempts() : svc.maxAttempts(),
                svc.leaseTtlSeconds(),
                request.input() == null ? Json.MAPPER.nullNode() : request.input(),
                request.idempotencyKey() != null ? request.idempotencyKey() : RunIds.command(),
                request.correlationId(),
                null,
                false,
                null,
                request.tags(),
                request.metadata() == null ? Json.MAPPER.createObjectNode() : request.metadata(),
                null,
                request.ttlSeconds(),
                batchId,
                Retries.forRun(request.retry(), svc.retry()),
                null,
                null,
                priority(request));
    }

    /** The service, or the 404 that says whether the scope or the service is unknown. */
    public ServiceInfo requireService(Handle h, String scope, String service) {
        return services.serviceGet(h, scope, service).orElseThrow(() -> serviceMissing(h, scope, service));
    }

    private NotFoundException serviceMissing(Handle h, String scope, String service) {
        return services.scopeExists(h, scope) ? NotFoundException.service(scope, service) : NotFoundException.scope(scope);
    }

    /**
     * Registers one run inside the caller's transaction; batches call this once per item.
     * Throws (rolling the whole transaction back) on any refusal.
     */
    public Receipt register(Handle h, Tx.Changes changes, String scope, String service, TriggerRequest request,
                            String runId, String batchId) {
        return register(h, changes, scope, service, request, runId, batchId, null);
    }

    /** {@link #register(Handle, Tx.Changes, String, String, TriggerRequest, String, String)} of a replay of {@code replayOf}. */
    Receipt register(Handle h, Tx.Changes changes, String scope, String service, TriggerRequest request,
                     String runId, String batchId, String replayOf) {
        Checked checked = check(h, scope, service, request, runId, Refusals.throwing());
        if (checked.replay() != null) {
            return checked.replay();
        }
        boolean stopped = checked.stop() != null;
        ServiceInfo svc = checked.service();
        OnConflict onConflict = request.onConflict() == null ? OnConflict.REJECT : request.onConflict();
        String holder = checked.keyHolder();
        boolean holdsKey = request.concurrencyKey() != null && holder == null;
        // run_at and status on the transaction's clock, as every later statement sees it; the
        // stored timestamp has microseconds, so the event carries exactly what the row holds
        Instant now = checked.now();
        Instant runAt = request.runAt() != null ? request.runAt().truncatedTo(ChronoUnit.MICROS)
                : request.delaySeconds() != null ? now.plusSeconds(request.delaySeconds()) : null;
        RunStatus status = !stopped && runAt != null && runAt.isAfter(now) ? RunStatus.SCHEDULED : RunStatus.ACCEPTED;
        RunInsert insert = new RunInsert(
                scope, runId, service, status,
                request.maxAttempts() != null ? request.maxAttempts() : svc.maxAttempts(),
                svc.leaseTtlSeconds(),
                request.input() == null ? Json.MAPPER.nullNode() : request.input(),
                request.idempotencyKey() != null ? request.idempotencyKey() : RunIds.command(),
                request.correlationId(),
                request.concurrencyKey(),
                holdsKey,
                request.parentRunId(),
                request.tags(),
                request.metadata() == null ? Json.MAPPER.createObjectNode() : request.metadata(),
                runAt,
                request.ttlSeconds(),
                batchId,
                Retries.forRun(request.retry(), svc.retry()),
                checked.parentRoot(),
                replayOf,
                priority(request));
        List<EventDraft> events = new ArrayList<>(2);
        events.add(ServerEvents.accepted(insert));
        if (status == RunStatus.SCHEDULED) {
            events.add(ServerEvents.scheduled(runAt));
        }
        StoredRun row = store.runInsert(h, insert, events);
        Run run = row.run();
        if (stopped) {
            // A stop was recorded on the key before this run existed: it is cancelled in the
            // transaction that registers it, so no lease and no other reader ever sees it queued.
            changes.triggered(scope, service);
            return receipt(cancelStopped(h, changes, scope, runId, checked.stop().reason()), false);
        }
        if (status == RunStatus.SCHEDULED) {
            changes.dueAt(runAt);
        }
        changes.events(scope, runId);
        changes.triggered(scope, service);
        if (row.leasable()) {
            changes.work(scope);
        }
        if (holder != null && onConflict == OnConflict.INTERRUPT) {
            cancels.stop(h, changes, scope, holder, "interrupted by run " + runId);
        }
        return receipt(run, false);
    }

    /**
     * What the database part of the checks found: the service, the receipt of an idempotent
     * replay (then nothing else is checked, the trigger is answered by it), or the current
     * holder of the concurrency key.
     */
    private record Checked(ServiceInfo service, Instant now, Receipt replay, String keyHolder, String parentRoot,
                           Stop stop) {
        Checked(ServiceInfo service, Instant now, Receipt replay, String keyHolder, String parentRoot) {
            this(service, now, replay, keyHolder, parentRoot, null);
        }
    }

    /** A stop recorded on the trigger's idempotency key before its run existed. */
    private record Stop(String reason) {
    }

    /**
     * What the idempotency key said: the receipt of a replay, or that the key was claimed,
     * perhaps with a stop recorded on it before.
     */
    private record KeyOutcome(Receipt replay, Stop stop) {
        static final KeyOutcome CLAIMED = new KeyOutcome(null, null);
    }

    /**
     * Cancels a run just registered under a key that held a stop, as a cancel would (the
     * ledger is then run.accepted, run.cancelled); its key, if it had a concurrency key, is
     * handed on in the same transaction. Never leases: it never was visible as queued.
     */
    private Run cancelStopped(Handle h, Tx.Changes changes, String scope, String runId, String reason) {
        return cancels.stop(h, changes, scope, runId, reason).run();
    }

    /**
     * The checks of a trigger against the database, in the order a trigger makes them. A
     * real trigger throws the first refusal; a dry run collects them and goes on where it can
     * (without the service there is nothing more to check). The one difference: a real
     * trigger claims the idempotency key (a write), a dry run only reads it; both judge what
     * they find the same way.
     */
    private Checked check(Handle h, String scope, String service, TriggerRequest request, String runId,
                          Refusals refusals) {
        Optional<ServiceAt> found = services.serviceAt(h, scope, service);
        if (found.isEmpty()) {
            refusals.refuse(serviceMissing(h, scope, service));
            return new Checked(null, null, null, null, null);
        }
        ServiceInfo svc = found.get().service();
        Instant now = found.get().now();
        refusals.check(() -> schemas.requireValid(svc.inputSchema(), request.input()));
        String parentRoot = null;
        if (request.parentRunId() != null) {
            parentRoot = store.runRoot(h, scope, request.parentRunId()).orElse(null);
            if (parentRoot == null) {
                refusals.refuse(new InvalidArgumentException(
                        "parentRunId '" + request.parentRunId() + "' is not a run of this scope"));
            }
        }
        Stop stop = null;
        if (request.idempotencyKey() != null) {
            KeyOutcome key = idempotencyKey(h, scope, service, request, runId, refusals);
            if (key.replay() != null) {
                return new Checked(svc, now, key.replay(), null, parentRoot);
            }
            stop = key.stop();
        }
        String holder = null;
        if (request.concurrencyKey() != null) {
            store.keyLock(h, scope, request.concurrencyKey());
            holder = store.keyHolder(h, scope, request.concurrencyKey()).orElse(null);
            // a run stopped before it existed registers cancelled: it never holds the key, so it
            // conflicts with no holder (nor interrupts one)
            if (holder != null && stop == null
                    && (request.onConflict() == null || request.onConflict() == OnConflict.REJECT)) {
                refusals.refuse(new ConcurrencyConflictException(request.concurrencyKey(), holder));
            }
        }
        return new Checked(svc, now, null, holder, parentRoot, stop);
    }

    /**
     * The idempotency key: free (a real trigger claims it for {@code runId}), a replay of the
     * same request (its original receipt), or reused for a different request (refused).
     */
    private KeyOutcome idempotencyKey(Handle h, String scope, String service, TriggerRequest request,
                                      String runId, Refusals refusals) {
        String hash = requestHash(request);
        Optional<IdempotencyRow> existing;
        if (refusals.dryRun()) {
            // a key holding only a stop is free: the trigger would claim it (and be cancelled)
            existing = idempotency.idempotencyGet(h, scope, service, request.idempotencyKey())
                    .filter(r -> r.live() && !r.stopOnly());
        } else {
            Optional<ClaimedKey> claimed = idempotency.idempotencyClaim(h, new IdempotencyClaim(scope, service,
                    request.idempotencyKey(), hash, runId, idempotencyTtl.toSeconds()));
            if (claimed.isPresent()) {
                return claimed.get().stopped() ? new KeyOutcome(null, new Stop(claimed.get().stopReason()))
                        : KeyOutcome.CLAIMED;
            }
            existing = Optional.of(idempotency.idempotencyGet(h, scope, service, request.idempotencyKey())
                    .orElseThrow(() -> new IllegalStateException("idempotency key vanished while claimed")));
        }
        if (existing.isEmpty()) {
            return KeyOutcome.CLAIMED;
        }
        String existingRunId = existing.get().runId();
        if (!hash.equals(existing.get().requestHash())) {
            refusals.refuse(new IdempotencyKeyReusedException(request.idempotencyKey(), existingRunId));
            return KeyOutcome.CLAIMED;
        }
        Run run = store.runGet(h, scope, existingRunId)
                .orElseThrow(() -> new IllegalStateException("idempotency key maps to a missing run"))
                .run();
        return new KeyOutcome(receipt(run, true), null);
    }

    /**
     * Would this trigger be accepted now? Runs the trigger's own checks (names, values, the
     * service, its input schema, the parent run, the idempotency key, the concurrency key)
     * in a dry run: every refusal is reported, and nothing is written (a READ ONLY
     * transaction, rolled back).
     */
    public ValidationReport preflight(String scope, String service, TriggerRequest request) {
        Refusals refusals = Refusals.collecting();
        refusals.check(() -> {
            InvalidNameException.requireValid("scope", scope);
            InvalidNameException.requireValid("service", service);
        });
        if (!refusals.report().valid()) {
            return refusals.report(); // nothing else can be looked up under a bad name
        }
        validate(request, refusals);
        tx.dryRun(h -> check(h, scope, service, request, ids.run(), refusals));
        return refusals.report();
    }

    static Receipt receipt(Run run, boolean replayed) {
        return new Receipt(run.runId(), run.scope(), run.service(), run.status(), run.commandId(),
                run.correlationId(), run.createdAt(), replayed);
    }

    /** SHA-256 of the request's canonical JSON, without the key itself. */
    static String requestHash(TriggerRequest r) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.set("input", r.input());
        n.put("concurrencyKey", r.concurrencyKey());
        n.put("onConflict", r.onConflict() == null ? null : r.onConflict().wireName());
        n.put("correlationId", r.correlationId());
        n.put("parentRunId", r.parentRunId());
        n.set("tags", Json.MAPPER.valueToTree(r.tags()));
        n.set("metadata", r.metadata());
        n.put("runAt", Timestamps.format(r.runAt()));
        n.put("delaySeconds", r.delaySeconds());
        n.put("ttlSeconds", r.ttlSeconds());
        n.put("maxAttempts", r.maxAttempts());
        if (r.retry() != null) {
            n.set("retry", Json.MAPPER.valueToTree(r.retry())); // absent when unset: older hashes stay valid
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Json.canonical(n).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Checks everything that needs no database, so bad input fails before a transaction. */
    public static void validate(TriggerRequest r) {
        validate(r, Refusals.throwing());
    }

    private static void validate(TriggerRequest r, Refusals refusals) {
        refusals.check(() -> Limits.requireSize("input", r.input(), Limits.MAX_INPUT_BYTES));
        refusals.check(() -> Limits.requireSize("metadata", r.metadata(), Limits.MAX_METADATA_BYTES));
        if (r.metadata() != null && !r.metadata().isObject() && !r.metadata().isNull()) {
            refusals.refuse(new InvalidArgumentException("metadata must be a JSON object"));
        }
        refusals.check(() -> Limits.optionalText("idempotencyKey", r.idempotencyKey(), Limits.MAX_KEY_LENGTH));
        refusals.check(() -> Limits.optionalText("concurrencyKey", r.concurrencyKey(), Limits.MAX_KEY_LENGTH));
        refusals.check(() -> Limits.optionalText("correlationId", r.correlationId(), Limits.MAX_KEY_LENGTH));
        refusals.check(() -> Limits.optionalText("parentRunId", r.parentRunId(), Limits.MAX_KEY_LENGTH));
        if (r.tags().size() > Limits.MAX_TAGS) {
            refusals.refuse(new InvalidArgumentException("at most " + Limits.MAX_TAGS + " tags"));
        }
        for (String tag : r.tags()) {
            if (tag == null) {
                refusals.refuse(new InvalidArgumentException("tags must be strings"));
            } else {
                refusals.check(() -> Limits.optionalText("tag", tag, Limits.MAX_TAG_LENGTH));
            }
        }
        if (r.runAt() != null && r.delaySeconds() != null) {
            refusals.refuse(new InvalidArgumentException("give runAt or delaySeconds, not both"));
        }
        if (r.delaySeconds() != null) {
            refusals.check(() -> Limits.range("delaySeconds", r.delaySeconds(), 0, Limits.MAX_DELAY_SECONDS));
        }
        if (r.runAt() != null && (r.runAt().isBefore(java.time.Instant.EPOCH)
                || r.runAt().isAfter(java.time.Instant.now().plusSeconds(Limits.MAX_DELAY_SECONDS)))) {
            refusals.refuse(new InvalidArgumentException("runAt must be between 1970-01-01T00:00:00Z and "
                    + Limits.MAX_DELAY_SECONDS / 86_400 + " days from now"));
        }
        if (r.ttlSeconds() != null) {
            refusals.check(() -> Limits.range("ttlSeconds", r.ttlSeconds(), 1, Limits.MAX_TTL_SECONDS));
        }
        if (r.maxAttempts() != null) {
            refusals.check(() -> Limits.range("maxAttempts", r.maxAttempts(), 1, Limits.MAX_ATTEMPTS));
        }
        if (r.priority() != null) {
            refusals.check(() -> Limits.range("priority", r.priority(), TriggerRequest.MIN_PRIORITY,
                    TriggerRequest.MAX_PRIORITY));
        }
        refusals.check(() -> Retries.requireValid("retry", r.retry()));
        if (r.onConflict() != null && r.concurrencyKey() == null) {
            refusals.refuse(new InvalidArgumentException("onConflict needs a concurrencyKey"));
        }
    }
}

package io.runledger.core.internal.engine;

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
import io.runledger.api.RunLedgerException;
import io.runledger.api.TriggerRequest;
import io.runledger.core.ValidationReport;
import io.runledger.core.internal.store.Json;
import io.runledger.core.internal.store.RunInsert;
import io.runledger.core.internal.store.RunStore;
import io.runledger.core.internal.store.StoredRun;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Registers runs. One transaction writes the idempotency row, the run row and its
 * {@code run.accepted} event and sends the NOTIFY; the receipt is built only after it
 * commits (invariant 1).
 */
public final class TriggerOps {
    private final Tx tx;
    private final RunStore store;
    private final InputSchemas schemas;
    private final CancelOps cancels;
    private final Duration idempotencyTtl;

    public TriggerOps(Tx tx, RunStore store, InputSchemas schemas, CancelOps cancels, Duration idempotencyTtl) {
        this.tx = tx;
        this.store = store;
        this.schemas = schemas;
        this.cancels = cancels;
        this.idempotencyTtl = idempotencyTtl;
    }

    public Receipt trigger(String scope, String service, TriggerRequest request) {
        InvalidNameException.requireValid("scope", scope);
        InvalidNameException.requireValid("service", service);
        validate(request);
        String runId = RunIds.run();
        return tx.run((h, changes) -> register(h, changes, scope, service, request, runId, null));
    }

    /** The service, or the 404 that says whether the scope or the service is unknown. */
    public ServiceInfo requireService(Handle h, String scope, String service) {
        return store.serviceGet(h, scope, service).orElseThrow(() -> store.scopeExists(h, scope)
                ? NotFoundException.service(scope, service)
                : NotFoundException.scope(scope));
    }

    /**
     * Registers one run inside the caller's transaction; batches call this once per item.
     * Throws (rolling the whole transaction back) on any refusal.
     */
    public Receipt register(Handle h, Tx.Changes changes, String scope, String service, TriggerRequest request,
                            String runId, String batchId) {
        ServiceInfo svc = requireService(h, scope, service);
        schemas.requireValid(svc.inputSchema(), request.input());
        if (request.parentRunId() != null && !store.runExists(h, scope, request.parentRunId())) {
            throw new InvalidArgumentException("parentRunId '" + request.parentRunId() + "' is not a run of this scope");
        }
        if (request.idempotencyKey() != null) {
            Optional<Receipt> replay = claimIdempotencyKey(h, scope, service, request, runId);
            if (replay.isPresent()) {
                return replay.get();
            }
        }
        OnConflict onConflict = request.onConflict() == null ? OnConflict.REJECT : request.onConflict();
        String holder = null;
        if (request.concurrencyKey() != null) {
            store.keyLock(h, scope, request.concurrencyKey());
            holder = store.keyHolder(h, scope, request.concurrencyKey()).orElse(null);
            if (holder != null && onConflict == OnConflict.REJECT) {
                throw new ConcurrencyConflictException(request.concurrencyKey(), holder);
            }
        }
        boolean holdsKey = request.concurrencyKey() != null && holder == null;
        StoredRun row = store.runInsert(h, new RunInsert(
                scope, runId, service,
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
                request.runAt(),
                request.delaySeconds(),
                request.ttlSeconds(),
                batchId));
        Run run = row.run();
        List<EventDraft> events = new ArrayList<>();
        events.add(ServerEvents.accepted(run));
        if (run.status() == RunStatus.SCHEDULED) {
            events.add(ServerEvents.scheduled(run));
        }
        store.eventsAppend(h, scope, runId, events);
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

    private Optional<Receipt> claimIdempotencyKey(Handle h, String scope, String service, TriggerRequest request,
                                                  String runId) {
        String hash = requestHash(request);
        Optional<String> claimed = store.idempotencyClaim(h, scope, service, request.idempotencyKey(), hash, runId,
                idempotencyTtl.toSeconds());
        if (claimed.isPresent()) {
            return Optional.empty();
        }
        Map<String, Object> existing = store.idempotencyGet(h, scope, service, request.idempotencyKey())
                .orElseThrow(() -> new IllegalStateException("idempotency key vanished while claimed"));
        String existingRunId = (String) existing.get("run_id");
        if (!hash.equals(existing.get("request_hash"))) {
            throw new IdempotencyKeyReusedException(request.idempotencyKey(), existingRunId);
        }
        Run run = store.runGet(h, scope, existingRunId)
                .orElseThrow(() -> new IllegalStateException("idempotency key maps to a missing run"))
                .run();
        return Optional.of(receipt(run, true));
    }

    /**
     * Would this trigger be accepted now? Checks everything a trigger checks (names, values,
     * the service, its input schema, the parent run, the idempotency key, the concurrency
     * key) and writes nothing.
     */
    public ValidationReport preflight(String scope, String service, TriggerRequest request) {
        List<ValidationReport.Problem> problems = new ArrayList<>();
        try {
            InvalidNameException.requireValid("scope", scope);
            InvalidNameException.requireValid("service", service);
        } catch (RunLedgerException e) {
            return new ValidationReport(false, List.of(new ValidationReport.Problem(e.code(), e.getMessage())));
        }
        try {
            validate(request);
        } catch (RunLedgerException e) {
            problems.add(new ValidationReport.Problem(e.code(), e.getMessage()));
        }
        tx.read(h -> {
            Optional<ServiceInfo> svc = store.serviceGet(h, scope, service);
            if (svc.isEmpty()) {
                RunLedgerException e = store.scopeExists(h, scope)
                        ? NotFoundException.service(scope, service) : NotFoundException.scope(scope);
                problems.add(new ValidationReport.Problem(e.code(), e.getMessage()));
                return null;
            }
            for (String p : schemas.problems(svc.get().inputSchema(), request.input())) {
                problems.add(new ValidationReport.Problem("invalid_input", p));
            }
            if (request.parentRunId() != null && !store.runExists(h, scope, request.parentRunId())) {
                problems.add(new ValidationReport.Problem("invalid_argument",
                        "parentRunId '" + request.parentRunId() + "' is not a run of this scope"));
            }
            if (request.idempotencyKey() != null) {
                store.idempotencyGet(h, scope, service, request.idempotencyKey())
                        .filter(k -> Boolean.TRUE.equals(k.get("live")))
                        .filter(k -> !requestHash(request).equals(k.get("request_hash")))
                        .ifPresent(k -> problems.add(new ValidationReport.Problem("idempotency_key_reused",
                                new IdempotencyKeyReusedException(request.idempotencyKey(), (String) k.get("run_id"))
                                        .getMessage())));
            }
            boolean reject = request.onConflict() == null || request.onConflict() == OnConflict.REJECT;
            if (request.concurrencyKey() != null && reject) {
                store.keyHolder(h, scope, request.concurrencyKey()).ifPresent(holder -> problems.add(
                        new ValidationReport.Problem("concurrency_conflict",
                                new ConcurrencyConflictException(request.concurrencyKey(), holder).getMessage())));
            }
            return null;
        });
        return new ValidationReport(problems.isEmpty(), problems);
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
        Limits.requireSize("input", r.input(), Limits.MAX_INPUT_BYTES);
        Limits.requireSize("metadata", r.metadata(), Limits.MAX_METADATA_BYTES);
        if (r.metadata() != null && !r.metadata().isObject() && !r.metadata().isNull()) {
            throw new InvalidArgumentException("metadata must be a JSON object");
        }
        Limits.optionalText("idempotencyKey", r.idempotencyKey(), Limits.MAX_KEY_LENGTH);
        Limits.optionalText("concurrencyKey", r.concurrencyKey(), Limits.MAX_KEY_LENGTH);
        Limits.optionalText("correlationId", r.correlationId(), Limits.MAX_KEY_LENGTH);
        Limits.optionalText("parentRunId", r.parentRunId(), Limits.MAX_KEY_LENGTH);
        if (r.tags().size() > Limits.MAX_TAGS) {
            throw new InvalidArgumentException("at most " + Limits.MAX_TAGS + " tags");
        }
        for (String tag : r.tags()) {
            if (tag == null) {
                throw new InvalidArgumentException("tags must be strings");
            }
            Limits.optionalText("tag", tag, Limits.MAX_TAG_LENGTH);
        }
        if (r.runAt() != null && r.delaySeconds() != null) {
            throw new InvalidArgumentException("give runAt or delaySeconds, not both");
        }
        if (r.delaySeconds() != null) {
            Limits.range("delaySeconds", r.delaySeconds(), 0, Limits.MAX_DELAY_SECONDS);
        }
        if (r.runAt() != null && (r.runAt().isBefore(java.time.Instant.EPOCH)
                || r.runAt().isAfter(java.time.Instant.now().plusSeconds(Limits.MAX_DELAY_SECONDS)))) {
            throw new InvalidArgumentException("runAt must be between 1970-01-01T00:00:00Z and "
                    + Limits.MAX_DELAY_SECONDS / 86_400 + " days from now");
        }
        if (r.ttlSeconds() != null) {
            Limits.range("ttlSeconds", r.ttlSeconds(), 1, Limits.MAX_TTL_SECONDS);
        }
        if (r.maxAttempts() != null) {
            Limits.range("maxAttempts", r.maxAttempts(), 1, Limits.MAX_ATTEMPTS);
        }
        if (r.onConflict() != null && r.concurrencyKey() == null) {
            throw new InvalidArgumentException("onConflict needs a concurrencyKey");
        }
    }
}

package io.runledger.core.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.EventDraft;
import io.runledger.api.LeaseRequest;
import io.runledger.api.QueueStat;
import io.runledger.api.Receipt;
import io.runledger.api.Run;
import io.runledger.api.RunFilter;
import io.runledger.api.RunHealth;
import io.runledger.api.RunStatus;
import io.runledger.api.Timestamps;
import io.runledger.core.internal.db.SqlStatements;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * The narrow PostgreSQL store of {@code runs}: one method per named statement, each taking
 * the handle of the caller's transaction so the engine decides what commits together. The
 * concurrency keys live on the run rows, so their statements are here too. The other table
 * groups have their own stores ({@link EventStore}, {@link ServiceStore}, ...).
 */
public final class RunStore {
    private static final SqlStatements RUNS = SqlStatements.load(RunStore.class, "runs.sql");
    /** The list with a health filter, one statement per rule (see {@link io.runledger.api.RunHealth}). */
    private static final SqlStatements HEALTH = SqlStatements.load(RunStore.class, "run_health.sql");

    /** The order fenced batches lock their runs in; a null run id (matching nothing) sorts first. */
    private static final Comparator<Fenced> BY_RUN_ID =
            Comparator.comparing(Fenced::runId, Comparator.nullsFirst(Comparator.naturalOrder()));

    private static final RowMapper<KeyHandOver> HAND_OVER = (rs, ctx) -> new KeyHandOver(
            rs.getString("run_id"),
            rs.getString("service"),
            RunStatus.fromWire(rs.getString("status")));

    private static final RowMapper<StrandedKey> STRANDED = (rs, ctx) -> new StrandedKey(
            rs.getString("scope_id"),
            rs.getString("concurrency_key"));

    private static final RowMapper<QueueStat> QUEUE_STAT = (rs, ctx) -> new QueueStat(
            rs.getString("scope_id"),
            rs.getString("service"),
            rs.getLong("depth"),
            rs.getDouble("oldest_age_seconds"));

    /**
     * Inserts a run with its first events in one statement, which gives them seqs 1, 2, ...
     * and sets {@code last_seq} to their number (the trigger's row is written once).
     */
    public StoredRun runInsert(Handle h, RunInsert p, List<EventDraft> events) {
        String[] types = new String[events.size()];
        String[] datas = new String[events.size()];
        for (int i = 0; i < events.size(); i++) {
            types[i] = events.get(i).type();
            datas[i] = events.get(i).data() == null ? "{}" : Json.write(events.get(i).data());
        }
        return h.createQuery(RUNS.get("runInsert"))
                .bind("scope", p.scope())
                .bind("runId", p.runId())
                .bind("service", p.service())
                .bind("status", p.status().wireName())
                .bind("maxAttempts", p.maxAttempts())
                .bind("leaseTtlSeconds", p.leaseTtlSeconds())
                .bind("input", Json.write(p.input()))
                .bind("commandId", p.commandId())
                .bind("correlationId", p.correlationId())
                .bind("concurrencyKey", p.concurrencyKey())
                .bind("holdsKey", p.holdsKey())
                .bind("parentRunId", p.parentRunId())
                .bindArray("tags", String.class, p.tags())
                .bind("metadata", Json.write(p.metadata()))
                .bind("runAt", Timestamps.format(p.runAt()))
                .bind("ttlSeconds", p.ttlSeconds())
                .bind("batchId", p.batchId())
                .bind("retry", p.retry() == null ? null : Json.write(p.retry()))
                .bind("rootRunId", p.rootRunId())
                .bind("replayOf", p.replayOf())
                .bind("priority", p.priority())
                .bind("types", types)
                .bind("datas", datas)
                .map(RunMapper.STORED).one();
    }

    /**
     * Inserts immediate runs (status accepted, no {@code runAt}, no concurrency key) with their
     * {@code run.accepted} events in one statement; {@code accepted} holds each run's event
     * data, in the order of {@code runs}. The same statement sends {@code notifications}
     * (NOTIFY payloads). Returns the receipts in the order of {@code runs}.
     */
    public List<Receipt> runsInsert(Handle h, List<RunInsert> runs, List<EventDraft> accepted,
                                    List<String> notifications) {
        return runsInsert(h, runs, accepted, java.util.Collections.nCopies(runs.size(), null), notifications)
                .stream().map(InsertedRun::receipt).toList();
    }

    /** A run written by {@link #runsInsert}: its receipt, and its lease's expiry if it was written leased. */
    public record InsertedRun(Receipt receipt, Instant leaseExpiresAt) {
    }

    /**
     * As {@link #runsInsert(Handle, List, List, List)}, where a run with a non-null
     * {@code handTo} element is written leased to that worker, with that lease token, unless its
     * service is paused (then it is queued, and its receipt says so).
     */
    public List<InsertedRun> runsInsert(Handle h, List<RunInsert> runs, List<EventDraft> accepted,
                                        List<WorkerLease> handTo, List<String> notifications) {
        int n = runs.size();
        String[] workers = new String[n];
        String[] leaseTokens = new String[n];
        String[] scopes = new String[n];
        String[] runIds = new String[n];
        String[] services = new String[n];
        Integer[] maxAttempts = new Integer[n];
        Integer[] leaseTtls = new Integer[n];
        Integer[] priorities = new Integer[n];
        String[] inputs = new String[n];
        String[] commandIds = new String[n];
        String[] correlationIds = new String[n];
        String[] tags = new String[n];
        String[] metadatas = new String[n];
        Long[] ttls = new Long[n];
        String[] batchIds = new String[n];
        String[] retries = new String[n];
        String[] events = new String[n];
        for (int i = 0; i < n; i++) {
            RunInsert p = runs.get(i);
            if (p.status() != RunStatus.ACCEPTED || p.runAt() != null || p.concurrencyKey() != null
                    || p.rootRunId() != null || p.replayOf() != null) {
                throw new IllegalArgumentException("runsInsert takes immediate runs without a concurrency key or a parent");
            }
            scopes[i] = p.scope();
            runIds[i] = p.runId();
            services[i] = p.service();
            maxAttempts[i] = p.maxAttempts();
            leaseTtls[i] = p.leaseTtlSeconds();
            priorities[i] = p.priority();
            inputs[i] = Json.write(p.input());
            commandIds[i] = p.commandId();
            correlationIds[i] = p.correlationId();
            tags[i] = Json.write(Json.MAPPER.valueToTree(p.tags()));
            metadatas[i] = Json.write(p.metadata());
            ttls[i] = p.ttlSeconds();
            batchIds[i] = p.batchId();
            retries[i] = p.retry() == null ? null : Json.write(p.retry());
            events[i] = Json.write(accepted.get(i).data());
            WorkerLease to = handTo.get(i);
            workers[i] = to == null ? null : to.workerId();
            leaseTokens[i] = to == null ? null : to.leaseToken();
        }
        boolean handing = handTo.stream().anyMatch(java.util.Objects::nonNull);
        Map<String, InsertedRun> byId = new HashMap<>(n * 2);
        var query = h.createQuery(RUNS.get(handing ? "runsInsertHanding" : "runsInsert"));
        if (handing) {
            query.bind("workers", workers).bind("leaseTokens", leaseTokens);
        }
        query
                .bind("scopes", scopes)
                .bind("runIds", runIds)
                .bind("services", services)
                .bind("maxAttempts", maxAttempts)
                .bind("leaseTtls", leaseTtls)
                .bind("priorities", priorities)
                .bind("inputs", inputs)
                .bind("commandIds", commandIds)
                .bind("correlationIds", correlationIds)
                .bind("tags", tags)
                .bind("metadatas", metadatas)
                .bind("ttls", ttls)
                .bind("batchIds", batchIds)
                .bind("retries", retries)
                .bind("accepted", events)
                .bind("notify", notifications.toArray(String[]::new))
                .map((rs, ctx) -> new InsertedRun(new Receipt(
                        rs.getString("run_id"),
                        rs.getString("scope_id"),
                        rs.getString("service"),
                        RunStatus.fromWire(rs.getString("status")),
                        rs.getString("command_id"),
                        rs.getString("correlation_id"),
                        RunMapper.instant(rs, "created_at"),
                        false), handing ? RunMapper.instant(rs, "lease_expires_at") : null))
                .forEach(r -> byId.put(r.receipt().runId(), r));
        List<InsertedRun> inserted = new ArrayList<>(n);
        for (String runId : runIds) {
            inserted.add(byId.get(runId));
        }
        return inserted;
    }

    /** The worker a run is handed to as it is written, with the lease token it gets. */
    public record WorkerLease(String workerId, String leaseToken) {
    }

    /** The transaction's clock: the one every statement of it reads. */
    public Instant now(Handle h) {
        return h.createQuery("select now()").mapTo(java.time.OffsetDateTime.class).one().toInstant();
    }

    public Optional<StoredRun> runGet(Handle h, String scope, String runId) {
        return h.createQuery(RUNS.get("runGet")).bind("scope", scope).bind("runId", runId)
                .map(RunMapper.STORED).findOne();
    }

    /** The root of the run's tree of children (the run itself when it has no parent); empty if no such run. */
    public Optional<String> runRoot(Handle h, String scope, String runId) {
        return h.createQuery(RUNS.get("runRoot")).bind("scope", scope).bind("runId", runId)
                .mapTo(String.class).findOne();
    }

    public Optional<StoredRun> runLock(Handle h, String scope, String runId) {
        return h.createQuery(RUNS.get("runLock")).bind("scope", scope).bind("runId", runId)
                .map(RunMapper.STORED).findOne();
    }

    public boolean runExists(Handle h, String scope, String runId) {
        return h.createQuery(RUNS.get("runExists")).bind("scope", scope).bind("runId", runId)
                .mapTo(Boolean.class).one();
    }

    /** One page plus one extra row, which tells whether there is a next page. */
    public List<Run> runsList(Handle h, String scope, RunFilter f, Instant cursorCreatedAt, String cursorRunId) {
        return bindList(h.createQuery(listSql(f)), scope, f, cursorCreatedAt, cursorRunId, f.limit() + 1)
                .map(RunMapper.RUN).list();
    }

    /**
     * The statement that lists runs for a filter (its health rule picks one), newest first:
     * statements that act on "the runs a listing shows" (a bulk action's snapshot) select from
     * it, so they match exactly what {@code GET /runs} shows.
     */
    public static String listSql(RunFilter f) {
        if (f.health() == null) {
            return RUNS.get("runsList");
        }
        return switch (f.health()) {
            case RETRYING -> HEALTH.get("runsListRetrying");
            case STUCK -> HEALTH.get("runsListStuck");
            case SILENT -> HEALTH.get("runsListSilent");
        };
    }

    /** Binds {@link #listSql}'s parameters: the filter, the cursor (null for the first page) and the row limit. */
    public static <T extends SqlStatement<T>> T bindList(T q, String scope, RunFilter f, Instant cursorCreatedAt,
                                                         String cursorRunId, int limit) {
        if (f.health() == RunHealth.STUCK) {
            q.bind("stuckAfterSeconds", f.stuckAfterSeconds());
        } else if (f.health() == RunHealth.SILENT) {
            q.bind("silentForSeconds", f.silentForSeconds());
        }
        return q.bind("scope", scope)
                .bind("service", f.service())
                .bind("status", f.status() == null ? null : f.status().wireName())
                .bind("concurrencyKey", f.concurrencyKey())
                .bind("tag", f.tag())
                .bind("parentRunId", f.parentRunId())
                .bind("createdAfter", Timestamps.format(f.createdAfter()))
                .bind("createdBefore", Timestamps.format(f.createdBefore()))
                .bind("cursorCreatedAt", Timestamps.format(cursorCreatedAt))
                .bind("cursorRunId", cursorRunId)
                .bind("limit", limit);
    }

    public Optional<String> keyHolder(Handle h, String scope, String key) {
        return h.createQuery(RUNS.get("keyHolder")).bind("scope", scope).bind("key", key)
                .mapTo(String.class).findOne();
    }

    /** Takes the key's transaction-scoped advisory lock (the statement returns void). */
    public void keyLock(Handle h, String scope, String key) {
        h.createQuery(RUNS.get("keyLock")).bind("scope", scope).bind("key", key).mapTo(String.class).one();
    }

    /** The waiter that took the key, if the key was free and someone waited. */
    public Optional<KeyHandOver> keyHandOver(Handle h, String scope, String key) {
        return h.createQuery(RUNS.get("keyHandOver")).bind("scope", scope).bind("key", key)
                .map(HAND_OVER).findOne();
    }

    public List<StrandedKey> keysStranded(Handle h, int batch) {
        return h.createQuery(RUNS.get("keysStranded")).bind("batch", batch).map(STRANDED).list();
    }

    /** Claims up to {@code max} runs for one worker. */
    public List<StoredRun> runsLease(Handle h, String scope, List<String> services, int max, String workerId) {
        return runsLease(h, scope, services, Collections.nCopies(max, workerId));
    }

    /**
     * Claims up to {@code slotWorkers.size()} runs, the i-th run claimed (in the claim's
     * order) for {@code slotWorkers.get(i)}; returns them in that order.
     */
    public List<StoredRun> runsLease(Handle h, String scope, List<String> services, List<String> slotWorkers) {
        int max = slotWorkers.size();
        if (max < 1 || max > LeaseRequest.MAX_BATCH) {
            throw new IllegalArgumentException("max must be 1.." + LeaseRequest.MAX_BATCH + ": it is written into the statement");
        }
        return h.createQuery(RUNS.get("runsLease"))
                .define("max", max)
                .bind("scope", scope)
                .bindArray("services", String.class, services)
                .bind("serviceCount", services.size())
                .bindArray("slotWorkers", String.class, slotWorkers)
                .map(RunMapper.STORED).list();
    }

    public long runningCount(Handle h, String scope, String service) {
        return h.createQuery(RUNS.get("runningCount")).bind("scope", scope).bind("service", service)
                .mapTo(Long.class).one();
    }

    /** Takes the service's transaction-scoped advisory lock (the statement returns void). */
    public void serviceLock(Handle h, String scope, String service) {
        h.createQuery(RUNS.get("serviceLock")).bind("scope", scope).bind("service", service)
                .mapTo(String.class).one();
    }

    /** The named runs of {@code scope} that exist, locked for this transaction in run_id order. */
    public List<StoredRun> runsLock(Handle h, String scope, List<String> runIds) {
        return h.createQuery(RUNS.get("runsLock"))
                .bind("scope", scope).bind("runIds", runIds.stream().sorted().toArray(String[]::new))
                .bind("n", runIds.size())
                .map(RunMapper.STORED).list();
    }

    /** Extends the leases that still hold; returns those runs (in no particular order). */
    public List<StoredRun> leasesExtend(Handle h, String scope, List<Fenced> leases) {
        List<Fenced> sorted = leases.stream().sorted(BY_RUN_ID).toList();
        return h.createQuery(RUNS.get("leasesExtend"))
                .bind("scope", scope)
                .bind("runIds", sorted.stream().map(Fenced::runId).toArray(String[]::new))
                .bind("tokens", sorted.stream().map(Fenced::token).toArray(String[]::new))
                .bind("n", sorted.size())
                .map(RunMapper.STORED).list();
    }

    /**
     * Settles the runs still running under their tokens as succeeded, each with its
     * {@code type} event, in one statement; returns those runs as they now are (in no
     * particular order). {@code outputs} are parallel to {@code leases}. {@code unkeyedOnly}:
     * only runs without a concurrency key, with the wake-up of polls waiting for a freed slot
     * sent by the statement itself, so that it may run on its own (autocommit).
     */
    public List<StoredRun> runsSucceed(Handle h, String scope, List<Fenced> leases, List<JsonNode> outputs,
                                       String type, boolean unkeyedOnly) {
        // Locked in run_id order (see the statement), so the items are bound sorted.
        Integer[] order = new Integer[leases.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> BY_RUN_ID.compare(leases.get(a), leases.get(b)));
        return h.createQuery(RUNS.get("runsSucceed"))
                .bind("scope", scope)
                .bind("runIds", Arrays.stream(order).map(i -> leases.get(i).runId()).toArray(String[]::new))
                .bind("tokens", Arrays.stream(order).map(i -> leases.get(i).token()).toArray(String[]::new))
                .bind("outputs", Arrays.stream(order).map(i -> Json.write(outputs.get(i))).toArray(String[]::new))
                .bind("n", leases.size())
                .bind("type", type)
                .bind("unkeyedOnly", unkeyedOnly)
                .map(RunMapper.STORED).list();
    }

    /** Writes decided outcomes of ended attempts, one UPDATE for all; returns the runs written. */
    public List<StoredRun> runsAttemptEnd(Handle h, List<AttemptEnd> ends) {
        if (ends.isEmpty()) {
            return List.of();
        }
        return h.createQuery(RUNS.get("runsAttemptEnd"))
                .bind("scopes", ends.stream().map(AttemptEnd::scope).toArray(String[]::new))
                .bind("runIds", ends.stream().map(AttemptEnd::runId).toArray(String[]::new))
                .bind("statuses", ends.stream().map(e -> e.status().wireName()).toArray(String[]::new))
                .bind("attempts", ends.stream().map(AttemptEnd::attempt).toArray(Integer[]::new))
                .bind("errors", ends.stream().map(e -> Json.write(e.error())).toArray(String[]::new))
                .bind("finished", ends.stream().map(AttemptEnd::finished).toArray(Boolean[]::new))
                .bind("releaseKeys", ends.stream().map(AttemptEnd::releaseKey).toArray(Boolean[]::new))
                .bind("runAts", ends.stream().map(e -> Timestamps.format(e.runAt())).toArray(String[]::new))
                .map(RunMapper.STORED).list();
    }

    public Optional<StoredRun> runCancelNow(Handle h, String scope, String runId, String reason) {
        return h.createQuery(RUNS.get("runCancelNow"))
                .bind("scope", scope).bind("runId", runId).bind("reason", reason)
                .map(RunMapper.STORED).findOne();
    }

    public Optional<StoredRun> runStopRequest(Handle h, String scope, String runId, String reason) {
        return h.createQuery(RUNS.get("runStopRequest"))
                .bind("scope", scope).bind("runId", runId).bind("reason", reason)
                .map(RunMapper.STORED).findOne();
    }

    /** Locks up to {@code batch} running runs whose lease expired, skipping runs locked elsewhere. */
    public List<StoredRun> runsLeaseExpiredLock(Handle h, int batch) {
        return h.createQuery(RUNS.get("runsLeaseExpiredLock")).bind("batch", batch).map(RunMapper.STORED).list();
    }

    public List<StoredRun> runsPromoteDue(Handle h, int batch) {
        return h.createQuery(RUNS.get("runsPromoteDue")).bind("batch", batch).map(RunMapper.STORED).list();
    }

    public List<StoredRun> runsExpire(Handle h, int batch) {
        return h.createQuery(RUNS.get("runsExpire")).bind("batch", batch).map(RunMapper.STORED).list();
    }

    public Run runRepair(Handle h, Run r) {
        h.createQuery(RUNS.get("repairOn")).mapTo(String.class).one();
        return h.createQuery(RUNS.get("runRepair"))
                .bind("scope", r.scope())
                .bind("runId", r.runId())
                .bind("service", r.service())
                .bind("status", r.status().wireName())
                .bind("terminal", r.status().isTerminal())
                .bind("attempt", r.attempt())
                .bind("maxAttempts", r.maxAttempts())
                .bind("input", Json.write(r.input()))
                .bind("output", Json.write(r.output()))
                .bind("error", r.error() == null ? null : Json.write(r.error()))
                .bind("commandId", r.commandId())
                .bind("correlationId", r.correlationId())
                .bind("concurrencyKey", r.concurrencyKey())
                .bind("parentRunId", r.parentRunId())
                .bindArray("tags", String.class, r.tags())
                .bind("metadata", Json.write(r.metadata()))
                .bind("workerId", r.workerId())
                .bind("createdAt", RunMapper.offset(r.createdAt()))
                .bind("runAt", RunMapper.offset(r.runAt()))
                .bind("startedAt", RunMapper.offset(r.startedAt()))
                .bind("finishedAt", RunMapper.offset(r.finishedAt()))
                .bind("stopRequestedAt", RunMapper.offset(r.stopRequestedAt()))
                .bind("lastSeq", r.lastSeq())
                .bind("lastEventAt", RunMapper.offset(r.lastEventAt()))
                .map(RunMapper.RUN).one();
    }

    /** Suspends the run held under {@code token}; empty if the lease does not hold. */
    public Optional<StoredRun> runSuspend(Handle h, String scope, String runId, String token) {
        return h.createQuery(RUNS.get("runSuspend")).bind("scope", scope).bind("runId", runId).bind("token", token)
                .map(RunMapper.STORED).findOne();
    }

    /** The child a parent triggered with this idempotency key (its command id), if any. */
    public Optional<Run> childByCommand(Handle h, String scope, String parentRunId, String commandId) {
        return h.createQuery(RUNS.get("childByCommand")).bind("scope", scope).bind("parentRunId", parentRunId)
                .bind("commandId", commandId).map(RunMapper.RUN).findOne();
    }

    /** Counts one more memo (a step or a resume a later lease carries) on a run the caller locked. */
    public void runMemo(Handle h, String scope, String runId) {
        h.createUpdate(RUNS.get("runMemo")).bind("scope", scope).bind("runId", runId).execute();
    }

    public Optional<StoredRun> runResume(Handle h, String scope, String runId) {
        return h.createQuery(RUNS.get("runResume")).bind("scope", scope).bind("runId", runId)
                .map(RunMapper.STORED).findOne();
    }

    public Optional<StoredRun> runWaitFail(Handle h, String scope, String runId, JsonNode error) {
        return h.createQuery(RUNS.get("runWaitFail")).bind("scope", scope).bind("runId", runId)
                .bind("error", Json.write(error)).map(RunMapper.STORED).findOne();
    }

    /** Non-terminal descendants of the run, parents first, at most {@code batch}. */
    public List<String> runsDescendants(Handle h, String scope, String runId, int batch) {
        return h.createQuery(RUNS.get("runsDescendants")).bind("scope", scope).bind("runId", runId)
                .bind("batch", batch).mapTo(String.class).list();
    }

    public List<QueueStat> queueStats(Handle h) {
        return h.createQuery(RUNS.get("queueStats")).map(QUEUE_STAT).list();
    }
}

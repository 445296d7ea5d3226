package io.runledger.core.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.EventDraft;
import io.runledger.api.Run;
import io.runledger.api.RunEvent;
import io.runledger.api.RunFilter;
import io.runledger.api.ServiceInfo;
import io.runledger.api.ServiceSpec;
import io.runledger.api.Timestamps;
import io.runledger.api.WorkerInfo;
import io.runledger.core.internal.db.SqlStatements;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The narrow PostgreSQL store: one method per named statement, each taking the handle of
 * the caller's transaction so the engine decides what commits together.
 */
public final class RunStore {
    private static final SqlStatements RUNS = SqlStatements.load(RunStore.class, "runs.sql");
    private static final SqlStatements EVENTS = SqlStatements.load(RunStore.class, "run_events.sql");
    private static final SqlStatements SCOPES = SqlStatements.load(RunStore.class, "scopes.sql");
    private static final SqlStatements SERVICES = SqlStatements.load(RunStore.class, "services.sql");
    private static final SqlStatements KEYS = SqlStatements.load(RunStore.class, "idempotency_keys.sql");
    private static final SqlStatements WORKERS = SqlStatements.load(RunStore.class, "workers.sql");

    private static final RowMapper<ServiceInfo> SERVICE = (rs, ctx) -> new ServiceInfo(
            rs.getString("scope_id"),
            rs.getString("service"),
            rs.getInt("max_attempts"),
            rs.getInt("lease_ttl_seconds"),
            Json.read(rs.getString("input_schema")),
            (Integer) rs.getObject("concurrency_limit"),
            rs.getString("description"),
            RunMapper.instant(rs, "created_at"),
            RunMapper.instant(rs, "updated_at"));

    private static final RowMapper<WorkerInfo> WORKER = (rs, ctx) -> new WorkerInfo(
            rs.getString("worker_id"),
            RunMapper.strings(rs.getArray("services")),
            rs.getString("version"),
            Json.read(rs.getString("capabilities")),
            RunMapper.instant(rs, "last_seen_at"),
            rs.getInt("runs_held"));

    // ---- scopes and services

    public boolean scopeInsert(Handle h, String scope) {
        return h.createUpdate(SCOPES.get("scopeInsert")).bind("scope", scope).execute() == 1;
    }

    public boolean scopeExists(Handle h, String scope) {
        return h.createQuery(SCOPES.get("scopeExists")).bind("scope", scope).mapTo(Boolean.class).one();
    }

    public ServiceInfo serviceUpsert(Handle h, String scope, String service, int maxAttempts, int leaseTtlSeconds,
                                     ServiceSpec spec) {
        return h.createQuery(SERVICES.get("serviceUpsert"))
                .bind("scope", scope)
                .bind("service", service)
                .bind("maxAttempts", maxAttempts)
                .bind("leaseTtlSeconds", leaseTtlSeconds)
                .bind("inputSchema", Json.write(spec.inputSchema()))
                .bind("concurrencyLimit", spec.concurrencyLimit())
                .bind("description", spec.description())
                .map(SERVICE).one();
    }

    public Optional<ServiceInfo> serviceGet(Handle h, String scope, String service) {
        return h.createQuery(SERVICES.get("serviceGet"))
                .bind("scope", scope).bind("service", service)
                .map(SERVICE).findOne();
    }

    public List<ServiceInfo> servicesList(Handle h, String scope) {
        return h.createQuery(SERVICES.get("servicesList")).bind("scope", scope).map(SERVICE).list();
    }

    public Map<String, Integer> servicesWithLimit(Handle h, String scope, List<String> services) {
        return h.createQuery(SERVICES.get("servicesWithLimit"))
                .bind("scope", scope)
                .bindArray("services", String.class, services)
                .setMapKeyColumn("service").setMapValueColumn("concurrency_limit")
                .collectInto(new org.jdbi.v3.core.generic.GenericType<Map<String, Integer>>() { });
    }

    // ---- runs

    public StoredRun runInsert(Handle h, RunInsert p) {
        return h.createQuery(RUNS.get("runInsert"))
                .bind("scope", p.scope())
                .bind("runId", p.runId())
                .bind("service", p.service())
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
                .bind("delaySeconds", p.delaySeconds())
                .bind("ttlSeconds", p.ttlSeconds())
                .bind("batchId", p.batchId())
                .map(RunMapper.STORED).one();
    }

    public Optional<StoredRun> runGet(Handle h, String scope, String runId) {
        return h.createQuery(RUNS.get("runGet")).bind("scope", scope).bind("runId", runId)
                .map(RunMapper.STORED).findOne();
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
        return h.createQuery(RUNS.get("runsList"))
                .bind("scope", scope)
                .bind("service", f.service())
                .bind("status", f.status() == null ? null : f.status().wireName())
                .bind("concurrencyKey", f.concurrencyKey())
                .bind("tag", f.tag())
                .bind("parentRunId", f.parentRunId())
                .bind("cursorCreatedAt", Timestamps.format(cursorCreatedAt))
                .bind("cursorRunId", cursorRunId)
                .bind("limit", f.limit() + 1)
                .map(RunMapper.RUN).list();
    }

    public Optional<String> keyHolder(Handle h, String scope, String key) {
        return h.createQuery(RUNS.get("keyHolder")).bind("scope", scope).bind("key", key)
                .mapTo(String.class).findOne();
    }

    public void keyLock(Handle h, String scope, String key) {
        h.createQuery(RUNS.get("keyLock")).bind("scope", scope).bind("key", key).mapToMap().one();
    }

    /** The waiter that took the key, if the key was free and someone waited. */
    public Optional<Map<String, Object>> keyHandOver(Handle h, String scope, String key) {
        return h.createQuery(RUNS.get("keyHandOver")).bind("scope", scope).bind("key", key)
                .mapToMap().findOne();
    }

    public List<Map<String, Object>> keysStranded(Handle h, int batch) {
        return h.createQuery(RUNS.get("keysStranded")).bind("batch", batch).mapToMap().list();
    }

    public List<StoredRun> runsLease(Handle h, String scope, List<String> services, int max, String workerId) {
        return h.createQuery(RUNS.get("runsLease"))
                .bind("scope", scope)
                .bindArray("services", String.class, services)
                .bind("max", max)
                .bind("workerId", workerId)
                .map(RunMapper.STORED).list();
    }

    public long runningCount(Handle h, String scope, String service) {
        return h.createQuery(RUNS.get("runningCount")).bind("scope", scope).bind("service", service)
                .mapTo(Long.class).one();
    }

    public void serviceLock(Handle h, String scope, String service) {
        h.createQuery(RUNS.get("serviceLock")).bind("scope", scope).bind("service", service)
                .mapToMap().one();
    }

    public Optional<StoredRun> leaseExtend(Handle h, String scope, String runId, String token) {
        return h.createQuery(RUNS.get("leaseExtend"))
                .bind("scope", scope).bind("runId", runId).bind("token", token)
                .map(RunMapper.STORED).findOne();
    }

    public Optional<StoredRun> runSucceed(Handle h, String scope, String runId, String token, JsonNode output) {
        return h.createQuery(RUNS.get("runSucceed"))
                .bind("scope", scope).bind("runId", runId).bind("token", token)
                .bind("output", Json.write(output))
                .map(RunMapper.STORED).findOne();
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
                .bind("createdAt", odt(r.createdAt()))
                .bind("runAt", odt(r.runAt()))
                .bind("startedAt", odt(r.startedAt()))
                .bind("finishedAt", odt(r.finishedAt()))
                .bind("stopRequestedAt", odt(r.stopRequestedAt()))
                .bind("lastSeq", r.lastSeq())
                .map(RunMapper.RUN).one();
    }

    private static java.time.OffsetDateTime odt(Instant instant) {
        return instant == null ? null : java.time.OffsetDateTime.ofInstant(instant, java.time.ZoneOffset.UTC);
    }

    public List<Map<String, Object>> queueStats(Handle h) {
        return h.createQuery(RUNS.get("queueStats")).mapToMap().list();
    }

    // ---- events

    /**
     * Appends events to runs: each run's {@code last_seq} grows by the number of its events,
     * which take the seqs in between, in one statement. The caller has just written or
     * locked the runs. Returns the runs as they now are (their new {@code lastSeq}).
     */
    public List<StoredRun> eventsAppend(Handle h, List<RunEvents> appends) {
        return append(h, appends, null);
    }

    /** {@link #eventsAppend(Handle, List)} for one run; the run as it now is. */
    public StoredRun eventsAppend(Handle h, String scope, String runId, List<EventDraft> events) {
        return append(h, List.of(new RunEvents(scope, runId, events)), null).stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("run " + runId + " vanished while written"));
    }

    /** A worker's append: only while the run is running under {@code token}; empty if it is not. */
    public Optional<StoredRun> eventsAppendLeased(Handle h, String scope, String runId, String token,
                                                  List<EventDraft> events) {
        return append(h, List.of(new RunEvents(scope, runId, events)), token).stream().findFirst();
    }

    private List<StoredRun> append(Handle h, List<RunEvents> appends, String token) {
        int count = appends.stream().mapToInt(a -> a.events().size()).sum();
        if (count == 0) {
            return List.of();
        }
        String[] scopes = new String[count];
        String[] runIds = new String[count];
        String[] types = new String[count];
        String[] datas = new String[count];
        int i = 0;
        for (RunEvents a : appends) {
            for (EventDraft event : a.events()) {
                scopes[i] = a.scope();
                runIds[i] = a.runId();
                types[i] = event.type();
                datas[i] = event.data() == null ? "{}" : Json.write(event.data());
                i++;
            }
        }
        return h.createQuery(EVENTS.get("eventsAppend"))
                .bind("scopes", scopes).bind("runIds", runIds).bind("types", types).bind("datas", datas)
                .bind("token", token)
                .map(RunMapper.STORED).list();
    }

    public List<RunEvent> eventsList(Handle h, String scope, String runId, long after, int limit) {
        return h.createQuery(EVENTS.get("eventsList"))
                .bind("scope", scope).bind("runId", runId).bind("after", after).bind("limit", limit)
                .map(RunMapper.EVENT).list();
    }

    public List<RunEvent> eventsAll(Handle h, String scope, String runId) {
        return h.createQuery(EVENTS.get("eventsAll")).bind("scope", scope).bind("runId", runId)
                .map(RunMapper.EVENT).list();
    }

    /** Events of the given types up to {@code seq}, in order. */
    public List<RunEvent> eventsFoldedUpTo(Handle h, String scope, String runId, long seq, List<String> types) {
        return h.createQuery(EVENTS.get("eventsFoldedUpTo"))
                .bind("scope", scope).bind("runId", runId).bind("seq", seq)
                .bind("types", types.toArray(String[]::new))
                .map(RunMapper.EVENT).list();
    }

    public void notify(Handle h, List<String> payloads) {
        if (payloads.isEmpty()) {
            return;
        }
        h.createQuery(EVENTS.get("notify")).bind("payloads", payloads.toArray(String[]::new))
                .mapToMap().list();
    }

    // ---- idempotency keys

    /** Claims the key for {@code runId}; empty if a live key already maps to another run. */
    public Optional<String> idempotencyClaim(Handle h, String scope, String service, String key, String hash,
                                             String runId, long ttlSeconds) {
        return h.createQuery(KEYS.get("idempotencyClaim"))
                .bind("scope", scope).bind("service", service).bind("key", key).bind("hash", hash)
                .bind("runId", runId).bind("ttlSeconds", ttlSeconds)
                .mapTo(String.class).findOne();
    }

    public Optional<Map<String, Object>> idempotencyGet(Handle h, String scope, String service, String key) {
        return h.createQuery(KEYS.get("idempotencyGet"))
                .bind("scope", scope).bind("service", service).bind("key", key)
                .mapToMap().findOne();
    }

    public int idempotencyKeysPurge(Handle h, int batch) {
        return h.createUpdate(KEYS.get("idempotencyKeysPurge")).bind("batch", batch).execute();
    }

    // ---- workers

    public void workerSeen(Handle h, String scope, String workerId, List<String> services, String version,
                           JsonNode capabilities) {
        h.createUpdate(WORKERS.get("workerSeen"))
                .bind("scope", scope).bind("workerId", workerId)
                .bindArray("services", String.class, services)
                .bind("version", version)
                .bind("capabilities", capabilities == null ? "{}" : Json.write(capabilities))
                .execute();
    }

    public void workerTouch(Handle h, String scope, String workerId) {
        h.createUpdate(WORKERS.get("workerTouch")).bind("scope", scope).bind("workerId", workerId).execute();
    }

    public List<WorkerInfo> workersList(Handle h, String scope) {
        return h.createQuery(WORKERS.get("workersList")).bind("scope", scope).map(WORKER).list();
    }
}

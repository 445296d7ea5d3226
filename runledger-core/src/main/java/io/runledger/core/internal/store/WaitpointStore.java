package io.runledger.core.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.Timestamps;
import io.runledger.api.Waitpoint;
import io.runledger.api.WaitpointKind;
import io.runledger.api.WaitpointStatus;
import io.runledger.core.internal.db.SqlStatements;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** Statements of {@code waitpoints}, {@code suspensions} and {@code run_waits}: what runs wait on. */
public final class WaitpointStore {
    private static final SqlStatements WAITPOINTS = SqlStatements.load(WaitpointStore.class, "waitpoints.sql");

    private static final RowMapper<Waitpoint> WAITPOINT = (rs, ctx) -> new Waitpoint(
            rs.getString("waitpoint_id"),
            rs.getString("scope_id"),
            WaitpointKind.fromWire(rs.getString("kind")),
            WaitpointStatus.fromWire(rs.getString("status")),
            Json.read(rs.getString("data")),
            rs.getString("run_id"),
            rs.getString("target_run_id"),
            rs.getString("target_batch_id"),
            RunMapper.instant(rs, "resume_at"),
            RunMapper.instant(rs, "expires_at"),
            rs.getString("idempotency_key"),
            RunMapper.strings(rs.getArray("tags")),
            RunMapper.instant(rs, "created_at"),
            RunMapper.instant(rs, "completed_at"));

    private static final RowMapper<Woken> WOKEN = (rs, ctx) ->
            new Woken(rs.getString("scope_id"), rs.getString("waitpoint_id"), rs.getString("run_id"));

    /** A new waitpoint's row. */
    public record WaitpointInsert(String scope, String waitpointId, WaitpointKind kind, WaitpointStatus status,
                                  JsonNode data, String runId, String targetRunId, String targetBatchId,
                                  Instant resumeAt, Instant expiresAt, String callbackHash, String idempotencyKey,
                                  List<String> tags) {
    }

    /** A waitpoint that just finished, and a run that waits on it (null if none does). */
    public record Woken(String scope, String waitpointId, String runId) {
    }

    /** An outcome of a run or batch as its waitpoint reports it, and whether it is final. */
    public record Outcome(JsonNode data, boolean settled) {
    }

    /** An open suspension of a locked run: its waitpoints' states, in suspend order. */
    public record OpenSuspension(String runId, String step, String onTimeout, boolean timedOut, JsonNode waits) {
    }

    /** Inserts the waitpoint; empty if its idempotency key was taken. */
    public Optional<Waitpoint> waitpointInsert(Handle h, WaitpointInsert w) {
        return h.createQuery(WAITPOINTS.get("waitpointInsert"))
                .bind("scope", w.scope())
                .bind("waitpointId", w.waitpointId())
                .bind("kind", w.kind().wireName())
                .bind("status", w.status().wireName())
                .bind("data", Json.write(w.data()))
                .bind("runId", w.runId())
                .bind("targetRunId", w.targetRunId())
                .bind("targetBatchId", w.targetBatchId())
                .bind("resumeAt", Timestamps.format(w.resumeAt()))
                .bind("expiresAt", Timestamps.format(w.expiresAt()))
                .bind("callbackHash", w.callbackHash())
                .bind("idempotencyKey", w.idempotencyKey())
                .bindArray("tags", String.class, w.tags())
                .map(WAITPOINT).findOne();
    }

    public Optional<Waitpoint> waitpointGet(Handle h, String scope, String waitpointId) {
        return h.createQuery(WAITPOINTS.get("waitpointGet")).bind("scope", scope).bind("waitpointId", waitpointId)
                .map(WAITPOINT).findOne();
    }

    public Optional<Waitpoint> waitpointByKey(Handle h, String scope, String key) {
        return h.createQuery(WAITPOINTS.get("waitpointByKey")).bind("scope", scope).bind("key", key)
                .map(WAITPOINT).findOne();
    }

    public Optional<Waitpoint> waitpointLock(Handle h, String scope, String waitpointId) {
        return h.createQuery(WAITPOINTS.get("waitpointLock")).bind("scope", scope).bind("waitpointId", waitpointId)
                .map(WAITPOINT).findOne();
    }

    /** The named waitpoints of the scope that exist, share-locked until the transaction ends. */
    public List<Waitpoint> waitpointsShare(Handle h, String scope, List<String> waitpointIds) {
        return h.createQuery(WAITPOINTS.get("waitpointsShare")).bind("scope", scope)
                .bind("waitpointIds", waitpointIds.toArray(String[]::new))
                .map(WAITPOINT).list();
    }

    public Optional<Waitpoint> waitpointLockByCallback(Handle h, String hash) {
        return h.createQuery(WAITPOINTS.get("waitpointLockByCallback")).bind("hash", hash).map(WAITPOINT).findOne();
    }

    public Optional<Waitpoint> waitpointComplete(Handle h, String scope, String waitpointId, JsonNode data) {
        return h.createQuery(WAITPOINTS.get("waitpointComplete")).bind("scope", scope)
                .bind("waitpointId", waitpointId).bind("data", Json.write(data))
                .map(WAITPOINT).findOne();
    }

    /** One page plus one extra row, which tells whether there is a next page. */
    public List<Waitpoint> waitpointsList(Handle h, String scope, WaitpointStatus status, String runId,
                                          Instant cursorCreatedAt, String cursorId, int limit) {
        return h.createQuery(WAITPOINTS.get("waitpointsList"))
                .bind("scope", scope)
                .bind("status", status == null ? null : status.wireName())
                .bind("runId", runId)
                .bind("cursorCreatedAt", Timestamps.format(cursorCreatedAt))
                .bind("cursorId", cursorId)
                .bind("limit", limit + 1)
                .map(WAITPOINT).list();
    }

    /** Durations come due and tokens timed out, at most {@code batch}; with the runs waiting on them. */
    public List<Woken> waitpointsFinishDue(Handle h, int batch) {
        return h.createQuery(WAITPOINTS.get("waitpointsFinishDue")).bind("batch", batch).map(WOKEN).list();
    }

    /** Run and batch waitpoints whose targets settled unnoticed, completed now; with their waiting runs. */
    public List<Woken> waitpointsSettleMissed(Handle h, int batch) {
        return h.createQuery(WAITPOINTS.get("waitpointsSettleMissed")).bind("batch", batch).map(WOKEN).list();
    }

    public List<String> runsWaitingOn(Handle h, String scope, String waitpointId) {
        return h.createQuery(WAITPOINTS.get("runsWaitingOn")).bind("scope", scope).bind("waitpointId", waitpointId)
                .mapTo(String.class).list();
    }

    /**
     * The run's outcome, the run marked awaited and locked, so it cannot settle before this
     * transaction ends; empty if no such run.
     */
    public Optional<Outcome> runOutcome(Handle h, String scope, String runId) {
        return h.createQuery(WAITPOINTS.get("runOutcome")).bind("scope", scope).bind("runId", runId)
                .map((rs, ctx) -> new Outcome(Json.read(rs.getString("data")), rs.getBoolean("settled"))).findOne();
    }

    /** The batch's outcome so far, its runs marked awaited first (see {@link #runOutcome}). */
    public Optional<Outcome> batchOutcome(Handle h, String scope, String batchId) {
        h.createUpdate(WAITPOINTS.get("batchAwaited")).bind("scope", scope).bind("batchId", batchId).execute();
        return h.createQuery(WAITPOINTS.get("batchOutcome")).bind("scope", scope).bind("batchId", batchId)
                .map((rs, ctx) -> new Outcome(Json.read(rs.getString("data")), rs.getBoolean("settled"))).findOne();
    }

    /**
     * Records a suspend of the run at {@code step}: open (waiting, with its timeout) or, when
     * {@code results} is given, resumed at once with them.
     */
    public void suspensionInsert(Handle h, String scope, String runId, String step, int attempt, Instant timeoutAt,
                                 String onTimeout, JsonNode results) {
        h.createUpdate(WAITPOINTS.get("suspensionInsert"))
                .bind("scope", scope).bind("runId", runId).bind("step", step).bind("attempt", attempt)
                .bind("timeoutAt", Timestamps.format(timeoutAt)).bind("onTimeout", onTimeout)
                .bind("resumed", results != null).bind("results", Json.write(results))
                .execute();
    }

    /** The suspend recorded at {@code step}, if any: whether it resumed, and its results then. */
    public Optional<JsonNode> suspensionResults(Handle h, String scope, String runId, String step) {
        return h.createQuery(WAITPOINTS.get("suspensionGet")).bind("scope", scope).bind("runId", runId)
                .bind("step", step)
                .map((rs, ctx) -> {
                    JsonNode results = Json.read(rs.getString("results"));
                    return results == null ? Json.MAPPER.missingNode() : results;
                }).findOne();
    }

    /** Ends the open suspension of a run that stops waiting without a resume (it was cancelled). */
    public void suspensionsClose(Handle h, String scope, String runId) {
        h.createUpdate(WAITPOINTS.get("suspensionsClose")).bind("scope", scope).bind("runId", runId).execute();
    }

    public void runWaitsInsert(Handle h, String scope, String runId, String step, List<String> waitpointIds) {
        h.createUpdate(WAITPOINTS.get("runWaitsInsert"))
                .bind("scope", scope).bind("runId", runId).bind("step", step)
                .bind("waitpointIds", waitpointIds.toArray(String[]::new))
                .execute();
    }

    public List<OpenSuspension> suspensionsOpen(Handle h, String scope, List<String> runIds) {
        return h.createQuery(WAITPOINTS.get("suspensionsOpen")).bind("scope", scope)
                .bind("runIds", runIds.toArray(String[]::new))
                .map((rs, ctx) -> new OpenSuspension(rs.getString("run_id"), rs.getString("step"),
                        rs.getString("on_timeout"), rs.getBoolean("timed_out"), Json.read(rs.getString("waits"))))
                .list();
    }

    public void suspensionResumed(Handle h, String scope, String runId, String step, JsonNode results) {
        h.createUpdate(WAITPOINTS.get("suspensionResumed"))
                .bind("scope", scope).bind("runId", runId).bind("step", step).bind("results", Json.write(results))
                .execute();
    }

    /** Waiting runs whose suspension timed out or has nothing pending, as {@code scope/runId} pairs. */
    public List<Woken> suspensionsReady(Handle h, int batch) {
        return h.createQuery(WAITPOINTS.get("suspensionsReady")).bind("batch", batch)
                .map((rs, ctx) -> new Woken(rs.getString("scope_id"), null, rs.getString("run_id"))).list();
    }
}

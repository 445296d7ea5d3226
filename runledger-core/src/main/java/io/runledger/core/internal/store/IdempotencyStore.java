package io.runledger.core.internal.store;

import io.runledger.core.internal.db.SqlStatements;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** Statements of {@code idempotency_keys}: which run a trigger's idempotency key made. */
public final class IdempotencyStore {
    private static final SqlStatements KEYS = SqlStatements.load(IdempotencyStore.class, "idempotency_keys.sql");

    private static final RowMapper<IdempotencyRow> KEY = (rs, ctx) -> new IdempotencyRow(
            rs.getString("request_hash"),
            rs.getString("run_id"),
            rs.getBoolean("live"),
            RunMapper.instant(rs, "stop_requested_at"));

    private static final RowMapper<ClaimedKey> CLAIMED = (rs, ctx) -> new ClaimedKey(
            rs.getString("run_id"), rs.getBoolean("stopped"), rs.getString("stop_reason"));

    /**
     * Claims the key for {@code p.runId()}; empty if a live key already maps to another run.
     * A key holding only a stop is claimed, and the claim says the run is stopped.
     */
    public Optional<ClaimedKey> idempotencyClaim(Handle h, IdempotencyClaim p) {
        return h.createQuery(KEYS.get("idempotencyClaim"))
                .bind("scope", p.scope()).bind("service", p.service()).bind("key", p.key())
                .bind("hash", p.requestHash()).bind("runId", p.runId()).bind("ttlSeconds", p.ttlSeconds())
                .map(CLAIMED).findOne();
    }

    /**
     * Claims many distinct keys in one statement (all with the same TTL); returns the claims
     * that took their key, by run id. Sort the claims by key first: claims wait on each
     * other's keys, so every group must take them in the same order.
     */
    public Map<String, ClaimedKey> idempotencyClaimAll(Handle h, List<IdempotencyClaim> claims, long ttlSeconds) {
        return h.createQuery(KEYS.get("idempotencyClaimAll"))
                .bind("scopes", claims.stream().map(IdempotencyClaim::scope).toArray(String[]::new))
                .bind("services", claims.stream().map(IdempotencyClaim::service).toArray(String[]::new))
                .bind("keys", claims.stream().map(IdempotencyClaim::key).toArray(String[]::new))
                .bind("hashes", claims.stream().map(IdempotencyClaim::requestHash).toArray(String[]::new))
                .bind("runIds", claims.stream().map(IdempotencyClaim::runId).toArray(String[]::new))
                .bind("ttlSeconds", ttlSeconds)
                .map(CLAIMED).stream()
                .collect(Collectors.toMap(ClaimedKey::runId, c -> c));
    }

    /** The key's mapping, live or expired (an expired one is taken over by the next claim). */
    public Optional<IdempotencyRow> idempotencyGet(Handle h, String scope, String service, String key) {
        return h.createQuery(KEYS.get("idempotencyGet"))
                .bind("scope", scope).bind("service", service).bind("key", key)
                .map(KEY).findOne();
    }

    /**
     * Records a stop on a key without a live run (see idempotencyStop); empty when the key
     * is live (it maps to a run, or already holds a stop): read it then, it is locked.
     */
    public Optional<java.time.Instant> idempotencyStop(Handle h, String scope, String service, String key,
                                                        String reason, long ttlSeconds) {
        return h.createQuery(KEYS.get("idempotencyStop"))
                .bind("scope", scope).bind("service", service).bind("key", key)
                .bind("reason", reason).bind("ttlSeconds", ttlSeconds)
                .map((rs, ctx) -> RunMapper.instant(rs, "stop_requested_at")).findOne();
    }

    public int idempotencyKeysPurge(Handle h, int batch) {
        return h.createUpdate(KEYS.get("idempotencyKeysPurge")).bind("batch", batch).execute();
    }
}

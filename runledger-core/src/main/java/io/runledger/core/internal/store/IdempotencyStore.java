package io.runledger.core.internal.store;

import io.runledger.core.internal.db.SqlStatements;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** Statements of {@code idempotency_keys}: which run a trigger's idempotency key made. */
public final class IdempotencyStore {
    private static final SqlStatements KEYS = SqlStatements.load(IdempotencyStore.class, "idempotency_keys.sql");

    private static final RowMapper<IdempotencyRow> KEY = (rs, ctx) -> new IdempotencyRow(
            rs.getString("request_hash"),
            rs.getString("run_id"),
            rs.getBoolean("live"));

    /** Claims the key for {@code p.runId()}; empty if a live key already maps to another run. */
    public Optional<String> idempotencyClaim(Handle h, IdempotencyClaim p) {
        return h.createQuery(KEYS.get("idempotencyClaim"))
                .bind("scope", p.scope()).bind("service", p.service()).bind("key", p.key())
                .bind("hash", p.requestHash()).bind("runId", p.runId()).bind("ttlSeconds", p.ttlSeconds())
                .mapTo(String.class).findOne();
    }

    /**
     * Claims many distinct keys in one statement (all with the same TTL); returns the run
     * ids of the claims that took their key. Sort the claims by key first: claims wait on
     * each other's keys, so every group must take them in the same order.
     */
    public Set<String> idempotencyClaimAll(Handle h, List<IdempotencyClaim> claims, long ttlSeconds) {
        return Set.copyOf(h.createQuery(KEYS.get("idempotencyClaimAll"))
                .bind("scopes", claims.stream().map(IdempotencyClaim::scope).toArray(String[]::new))
                .bind("services", claims.stream().map(IdempotencyClaim::service).toArray(String[]::new))
                .bind("keys", claims.stream().map(IdempotencyClaim::key).toArray(String[]::new))
                .bind("hashes", claims.stream().map(IdempotencyClaim::requestHash).toArray(String[]::new))
                .bind("runIds", claims.stream().map(IdempotencyClaim::runId).toArray(String[]::new))
                .bind("ttlSeconds", ttlSeconds)
                .mapTo(String.class).list());
    }

    /** The key's mapping, live or expired (an expired one is taken over by the next claim). */
    public Optional<IdempotencyRow> idempotencyGet(Handle h, String scope, String service, String key) {
        return h.createQuery(KEYS.get("idempotencyGet"))
                .bind("scope", scope).bind("service", service).bind("key", key)
                .map(KEY).findOne();
    }

    public int idempotencyKeysPurge(Handle h, int batch) {
        return h.createUpdate(KEYS.get("idempotencyKeysPurge")).bind("batch", batch).execute();
    }
}

package io.runledger.core.internal.store;

import io.runledger.api.RunAccessGrant;
import io.runledger.core.internal.db.SqlStatements;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The {@code run_access_tokens} table: hashes of tokens that may read one run, until they expire. */
public final class RunAccessTokenStore {
    private static final SqlStatements SQL = SqlStatements.load(RunAccessTokenStore.class, "run_access_tokens.sql");

    /**
     * A token to issue: its hash, its run, who issued it (a scope key's id, or the admin key's
     * tag, or neither: the application itself), for how long, and the run's bound of live tokens.
     */
    public record TokenInsert(String tokenHash, String scope, String runId, String keyId, String adminKeyTag,
                              long ttlSeconds, int maxLive) {
    }

    /** Why {@link #tokenInsert} inserted nothing. */
    public record Refusal(boolean runExists, boolean keyExists, long live, long retryAfterSeconds) {
    }

    /** The new token's expiry, or empty when it was refused (see {@link #tokenRefusal}). */
    public Optional<Instant> tokenInsert(Handle h, TokenInsert p) {
        return h.createQuery(SQL.get("tokenInsert"))
                .bind("tokenHash", p.tokenHash()).bind("scope", p.scope()).bind("runId", p.runId())
                .bind("keyId", p.keyId()).bind("adminKeyTag", p.adminKeyTag())
                .bind("ttlSeconds", p.ttlSeconds()).bind("maxLive", p.maxLive())
                .map((rs, ctx) -> RunMapper.instant(rs, "expires_at"))
                .findOne();
    }

    public Refusal tokenRefusal(Handle h, String scope, String runId, String keyId) {
        return h.createQuery(SQL.get("tokenRefusal"))
                .bind("scope", scope).bind("runId", runId).bind("keyId", keyId)
                .map((rs, ctx) -> new Refusal(rs.getBoolean("run_exists"), rs.getBoolean("key_exists"),
                        rs.getLong("live"), rs.getLong("retry_after_seconds")))
                .one();
    }

    /** What the token with this hash grants, expired or not; empty if there is none. */
    public Optional<RunAccessGrant> tokenLookup(Handle h, String tokenHash) {
        return h.createQuery(SQL.get("tokenLookup")).bind("tokenHash", tokenHash)
                .map((rs, ctx) -> new RunAccessGrant(rs.getString("scope_id"), rs.getString("run_id"),
                        rs.getString("key_id"), rs.getString("admin_key_tag"),
                        Duration.ofMillis(rs.getLong("valid_millis"))))
                .findOne();
    }
}

package io.runledger.server.auth;

import io.runledger.api.UnavailableException;
import io.runledger.core.internal.db.SqlStatements;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;

/** The {@code scope_keys} table: hashes of scope API keys, their ids, names and last use. */
public final class ScopeKeyStore {
    private static final SqlStatements SQL = SqlStatements.load(ScopeKeyStore.class, "scope_keys.sql");
    private static final RowMapper<ScopeKey> KEY = (rs, ctx) -> new ScopeKey(rs.getString("scope_id"),
            rs.getString("key_id"), rs.getString("name"), instant(rs, "created_at"), instant(rs, "last_used_at"));

    private final Jdbi jdbi;

    /** A presented key that exists: its scope and id, and whether its last use is due for a write. */
    public record Found(String scope, String keyId, boolean touchDue) {
    }

    public ScopeKeyStore(DataSource dataSource) {
        this.jdbi = Jdbi.create(dataSource);
    }

    public ScopeKey keyInsert(String scope, String keyHash, String name) {
        return guard(() -> jdbi.withHandle(h -> h.createQuery(SQL.get("keyInsert"))
                .bind("scope", scope).bind("keyHash", keyHash).bind("name", name).map(KEY).one()));
    }

    /** The key with this hash, if any. */
    public Optional<Found> keyLookup(String keyHash) {
        return guard(() -> jdbi.withHandle(h -> h.createQuery(SQL.get("keyLookup"))
                .bind("keyHash", keyHash)
                .map((rs, ctx) -> new Found(rs.getString("scope_id"), rs.getString("key_id"),
                        rs.getBoolean("touch_due")))
                .findOne()));
    }

    /** Records a use of the key (a no-op if it was recorded less than a minute ago). */
    public void keyTouch(String scope, String keyId) {
        guard(() -> jdbi.withHandle(h -> h.createUpdate(SQL.get("keyTouch"))
                .bind("scope", scope).bind("keyId", keyId).execute()));
    }

    public List<ScopeKey> keysList(String scope) {
        return guard(() -> jdbi.withHandle(h -> h.createQuery(SQL.get("keysList"))
                .bind("scope", scope).map(KEY).list()));
    }

    /** Revokes a key; false if the scope has no key with this id. */
    public boolean keyDelete(String scope, String keyId) {
        return guard(() -> jdbi.withHandle(h -> h.createUpdate(SQL.get("keyDelete"))
                .bind("scope", scope).bind("keyId", keyId).execute())) > 0;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** A database that cannot be reached is an outage (503), like in the engine. */
    private static <T> T guard(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (JdbiException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.sql.SQLTransientConnectionException
                        || (t instanceof SQLException sql && sql.getSQLState() != null
                                && sql.getSQLState().startsWith("08"))) {
                    throw new UnavailableException("the database is unreachable: " + t.getMessage(), e);
                }
            }
            throw e;
        }
    }
}

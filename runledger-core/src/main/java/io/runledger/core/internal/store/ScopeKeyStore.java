package io.runledger.core.internal.store;

import io.runledger.api.ScopeKey;
import io.runledger.core.internal.db.SqlStatements;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** The {@code scope_keys} table: hashes of scope API keys, their ids, names and last use. */
public final class ScopeKeyStore {
    private static final SqlStatements SQL = SqlStatements.load(ScopeKeyStore.class, "scope_keys.sql");
    private static final RowMapper<ScopeKey> KEY = (rs, ctx) -> new ScopeKey(rs.getString("scope_id"),
            rs.getString("key_id"), rs.getString("name"), RunMapper.instant(rs, "created_at"),
            RunMapper.instant(rs, "last_used_at"));

    /** A presented key that exists: its scope and id, and whether its last use is due for a write. */
    public record Found(String scope, String keyId, boolean touchDue) {
    }

    public ScopeKey keyInsert(Handle h, String scope, String keyHash, String name) {
        return h.createQuery(SQL.get("keyInsert"))
                .bind("scope", scope).bind("keyHash", keyHash).bind("name", name).map(KEY).one();
    }

    /** The key with this hash, if any. */
    public Optional<Found> keyLookup(Handle h, String keyHash) {
        return h.createQuery(SQL.get("keyLookup")).bind("keyHash", keyHash)
                .map((rs, ctx) -> new Found(rs.getString("scope_id"), rs.getString("key_id"),
                        rs.getBoolean("touch_due")))
                .findOne();
    }

    /** Records a use of the key (a no-op if it was recorded less than a minute ago). */
    public void keyTouch(Handle h, String scope, String keyId) {
        h.createUpdate(SQL.get("keyTouch")).bind("scope", scope).bind("keyId", keyId).execute();
    }

    public List<ScopeKey> keysList(Handle h, String scope) {
        return h.createQuery(SQL.get("keysList")).bind("scope", scope).map(KEY).list();
    }

    /** Revokes a key; false if the scope has no key with this id. */
    public boolean keyDelete(Handle h, String scope, String keyId) {
        return h.createUpdate(SQL.get("keyDelete")).bind("scope", scope).bind("keyId", keyId).execute() > 0;
    }
}

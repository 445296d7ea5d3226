package io.runledger.server.auth;

import io.runledger.api.UnavailableException;
import io.runledger.core.internal.db.SqlStatements;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/** The {@code scope_keys} table: hashes of scope API keys. */
public final class ScopeKeyStore {
    private static final SqlStatements SQL = SqlStatements.load(ScopeKeyStore.class, "scope_keys.sql");

    private final Jdbi jdbi;

    public ScopeKeyStore(DataSource dataSource) {
        this.jdbi = Jdbi.create(dataSource);
    }

    public void keyInsert(String scope, String keyHash) {
        guard(() -> jdbi.useHandle(h -> h.createUpdate(SQL.get("keyInsert"))
                .bind("scope", scope).bind("keyHash", keyHash).execute()));
    }

    /** The scope that owns the key with this hash, if any. */
    public Optional<String> keyScope(String keyHash) {
        return guard(() -> jdbi.withHandle(h -> h.createQuery(SQL.get("keyScope"))
                .bind("keyHash", keyHash).mapTo(String.class).findOne()));
    }

    private static void guard(Runnable work) {
        guard(() -> {
            work.run();
            return null;
        });
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

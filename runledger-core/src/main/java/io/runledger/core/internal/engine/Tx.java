package io.runledger.core.internal.engine;

import io.runledger.api.RunLedgerException;
import io.runledger.api.UnavailableException;
import io.runledger.core.internal.notify.PgListener;
import io.runledger.core.internal.notify.WakeUps;
import io.runledger.core.internal.store.RunStore;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Runs engine work in one READ COMMITTED transaction. Work records what it changed; the
 * matching NOTIFYs are sent inside the transaction (so other instances wake on commit)
 * and local waiters are woken right after commit without waiting for the round trip.
 */
public final class Tx {
    private final Jdbi jdbi;
    private final RunStore store;
    private final WakeUps wakeUps;

    public Tx(Jdbi jdbi, RunStore store, WakeUps wakeUps) {
        this.jdbi = jdbi;
        this.store = store;
        this.wakeUps = wakeUps;
    }

    /** The body of a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Handle handle, Changes changes);
    }

    /** What a transaction changed, for wake-ups. */
    public static final class Changes {
        private final Set<String> payloads = new LinkedHashSet<>();
        private final Set<String> localKeys = new LinkedHashSet<>();

        public void work(String scope) {
            payloads.add(PgListener.workPayload(scope));
            localKeys.add(WakeUps.workKey(scope));
        }

        public void events(String scope, String runId) {
            payloads.add(PgListener.eventsPayload(scope, runId));
            localKeys.add(WakeUps.eventsKey(scope, runId));
        }
    }

    public <T> T run(Work<T> work) {
        Changes changes = new Changes();
        T result;
        try {
            result = jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, h -> {
                T value = work.run(h, changes);
                store.notify(h, java.util.List.copyOf(changes.payloads));
                return value;
            });
        } catch (RunLedgerException e) {
            throw e;
        } catch (JdbiException e) {
            throw translate(e);
        }
        changes.localKeys.forEach(wakeUps::wake);
        return result;
    }

    /** Read-only work outside an explicit transaction. */
    public <T> T read(java.util.function.Function<Handle, T> work) {
        try {
            return jdbi.withHandle(work::apply);
        } catch (RunLedgerException e) {
            throw e;
        } catch (JdbiException e) {
            throw translate(e);
        }
    }

    static RuntimeException translate(JdbiException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return new UnavailableException("the database is unreachable: " + t.getMessage(), e);
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return new UnavailableException("the database connection failed: " + sql.getMessage(), e);
            }
        }
        return e;
    }
}

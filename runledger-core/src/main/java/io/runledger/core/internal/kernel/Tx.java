package io.runledger.core.internal.kernel;

import io.runledger.api.IllegalTransitionException;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.LedgerListener;
import io.runledger.api.RunLedgerException;
import io.runledger.api.RunStatus;
import io.runledger.api.UnavailableException;
import io.runledger.core.internal.notify.PgListener;
import io.runledger.core.internal.notify.ServiceChanges;
import io.runledger.core.internal.notify.WakeUps;
import io.runledger.core.internal.store.EventStore;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * Runs engine work in one READ COMMITTED transaction (the pool's isolation level). Work
 * records what it changed; the matching NOTIFYs are sent inside the transaction (so other
 * instances wake on commit) and local waiters are woken right after commit without waiting
 * for the round trip.
 */
public final class Tx {
    private final Jdbi jdbi;
    private final EventStore ledger;
    private final WakeUps wakeUps;
    private final LedgerListener listener;
    private final ServiceChanges serviceChanges;
    private volatile Consumer<Instant> dueAt = at -> { };

    public Tx(Jdbi jdbi, EventStore ledger, WakeUps wakeUps, LedgerListener listener, ServiceChanges serviceChanges) {
        this.jdbi = jdbi;
        this.ledger = ledger;
        this.wakeUps = wakeUps;
        this.listener = listener;
        this.serviceChanges = serviceChanges;
    }

    public LedgerListener listener() {
        return listener;
    }

    /** Told, after each commit, of the times at which something it wrote comes due (see {@link Changes#dueAt}). */
    public void onDue(Consumer<Instant> timer) {
        this.dueAt = java.util.Objects.requireNonNull(timer, "timer");
    }

    /** The body of a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Handle handle, Changes changes);
    }

    /** What a transaction changed, for wake-ups and for the listener after commit. */
    public static final class Changes {
        private final Set<String> payloads = new LinkedHashSet<>();
        private final Set<String> localKeys = new LinkedHashSet<>();
        private final List<Consumer<LedgerListener>> notes = new ArrayList<>();
        private final List<String[]> services = new ArrayList<>();
        private final List<Instant> due = new ArrayList<>();

        /**
         * Something written comes due at {@code at} (a delayed retry, a duration, a timeout): the
         * instance's timer runs the queue pass then, rather than at its next periodic pass.
         */
        public void dueAt(Instant at) {
            if (at != null) {
                due.add(at);
            }
        }

        public void triggered(String scope, String service) {
            triggered(scope, service, 1);
        }

        public void triggered(String scope, String service, int count) {
            notes.add(l -> l.runsTriggered(scope, service, count));
        }

        /** A service definition changed: every instance drops what it cached of it. */
        public void serviceChanged(String scope, String service) {
            payloads.add(PgListener.servicePayload(scope, service));
            services.add(new String[] {scope, service});
        }

        public void started(String scope, String service) {
            notes.add(l -> l.runStarted(scope, service));
        }

        /** Records a settlement if {@code status} is terminal. */
        public void settled(String scope, String service, RunStatus status) {
            if (status.isTerminal()) {
                notes.add(l -> l.runSettled(scope, service, status));
            }
        }

        public void work(String scope) {
            payloads.add(PgListener.workPayload(scope));
            localKeys.add(WakeUps.workKey(scope));
        }

        /**
         * New work in {@code scope} whose NOTIFY the statement that wrote it already sent
         * ({@link #workPayload}): only this instance's waiters are left to wake.
         */
        public void workNotified(String scope) {
            localKeys.add(WakeUps.workKey(scope));
        }

        public static String workPayload(String scope) {
            return PgListener.workPayload(scope);
        }

        /**
         * Events appended to {@code runId} whose NOTIFY the statement that wrote them already
         * sent ({@link #eventsPayload}): only this instance's waiters are left to wake.
         */
        public void eventsNotified(String scope, String runId) {
            localKeys.add(WakeUps.eventsKey(scope, runId));
        }

        public void events(String scope, String runId) {
            payloads.add(PgListener.eventsPayload(scope, runId));
            localKeys.add(WakeUps.eventsKey(scope, runId));
        }
    }

    public <T> T run(Work<T> work) {
        return execute(work, true);
    }

    /**
     * Work that writes with exactly one statement, which sends its own NOTIFYs (it records
     * none with {@link Changes#work} or {@link Changes#events}): run in autocommit, the
     * statement is its own transaction, committed as it completes, without the round trips of
     * BEGIN and COMMIT. Reads may precede it.
     */
    public <T> T runStatement(Work<T> work) {
        return execute(work, false);
    }

    private <T> T execute(Work<T> work, boolean transaction) {
        Changes changes = new Changes();
        T result;
        boolean[] echoesExpected = {false};
        boolean committed = false;
        try {
            // READ COMMITTED is the pool's setting for every connection (Database): asking
            // for it here would cost a SHOW and two SETs, each a round trip, per transaction.
            org.jdbi.v3.core.HandleCallback<T, RuntimeException> body = h -> {
                T value = work.run(h, changes);
                if (transaction) {
                    ledger.notify(h, List.copyOf(changes.payloads));
                    // Local waiters are woken below; the NOTIFY's echo need not wake them
                    // again. Not so in autocommit: the statement committed already and its
                    // echo may be here, so counting it now would skip someone else's.
                    changes.localKeys.forEach(wakeUps::expectEcho);
                    echoesExpected[0] = true;
                } else if (!changes.payloads.isEmpty()) {
                    throw new IllegalStateException("a single statement's work recorded NOTIFYs it did not send");
                }
                return value;
            };
            result = transaction ? jdbi.inTransaction(body) : jdbi.withHandle(body);
            committed = true;
        } catch (RunLedgerException e) {
            throw e;
        } catch (JdbiException e) {
            throw translate(e);
        } finally {
            if (echoesExpected[0] && !committed) {
                changes.localKeys.forEach(wakeUps::echoMissed);
            }
        }
        // This instance drops its copy at once, not when its own NOTIFY comes back.
        changes.services.forEach(s -> serviceChanges.serviceChanged(s[0], s[1]));
        changes.localKeys.forEach(wakeUps::wake);
        changes.due.forEach(dueAt);
        for (Consumer<LedgerListener> note : changes.notes) {
            try {
                note.accept(listener);
            } catch (RuntimeException e) {
                // a listener (metrics) must never fail the operation that already committed
            }
        }
        return result;
    }

    /**
     * Work that must write nothing (a dry run): one READ ONLY transaction, so PostgreSQL
     * refuses any write, always rolled back; no NOTIFY is sent and no one is woken.
     */
    public <T> T dryRun(java.util.function.Function<Handle, T> work) {
        try {
            return jdbi.withHandle(h -> {
                // The driver opens the transaction with BEGIN READ ONLY: no extra round trip.
                h.setReadOnly(true);
                try {
                    h.begin();
                    try {
                        return work.apply(h);
                    } finally {
                        h.rollback();
                    }
                } finally {
                    h.setReadOnly(false);
                }
            });
        } catch (RunLedgerException e) {
            throw e;
        } catch (JdbiException e) {
            throw translate(e);
        }
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

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid value";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static final Pattern REFUSED_TRANSITION =
            Pattern.compile("illegal run status transition (\\w+) -> (\\w+) for run (\\S+)");

    /** The refusal of the runs table's transition trigger, as the engine's own exception. */
    private static RuntimeException illegalTransition(SQLException sql) {
        Matcher m = REFUSED_TRANSITION.matcher(String.valueOf(sql.getMessage()));
        if (!m.find()) {
            return new IllegalStateException("unexpected transition refusal: " + firstLine(sql.getMessage()), sql);
        }
        return new IllegalTransitionException(m.group(3), RunStatus.fromWire(m.group(1)), RunStatus.fromWire(m.group(2)));
    }

    /** The engine's failure for a database failure (a data exception is the caller's bad input). */
    public static RuntimeException translate(JdbiException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return new UnavailableException("the database is unreachable: " + t.getMessage(), e);
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return new UnavailableException("the database connection failed: " + sql.getMessage(), e);
            }
            if (t instanceof SQLException sql && "RL001".equals(sql.getSQLState())) {
                // The engine checks each transition before writing it; the table's own check
                // refusing one means a race the engine did not foresee, which is a conflict
                // for the caller, not an outage.
                return illegalTransition(sql);
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
                // A data exception (e.g. U+0000 in text, a timestamp out of range): the input
                // was bad, and the failed statement rolled back, so nothing was written.
                return new InvalidArgumentException("a value cannot be stored: "
                        + firstLine(sql.getMessage()));
            }
        }
        return e;
    }
}

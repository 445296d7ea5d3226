package io.runledger.core.internal.store;

import io.runledger.api.EventDraft;
import io.runledger.api.RunEvent;
import io.runledger.core.internal.db.SqlStatements;
import io.runledger.core.internal.notify.PgListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Statements of {@code run_events}, the append-only ledger, and the NOTIFY that tells
 * listeners it grew. Events are appended by {@code eventsAppend}, which takes their seqs
 * from the run row in the same statement (as a trigger's {@code runInsert} and the claims of
 * {@link RunStore} do for the events they write), so the count and {@code last_seq} cannot
 * disagree.
 */
public final class EventStore {
    private static final int NOTIFY_CHARS = 7_000;
    private static final SqlStatements EVENTS = SqlStatements.load(EventStore.class, "run_events.sql");

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
                .bind("n", scopes.length)
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

    /** One NOTIFY per payload, sent by PostgreSQL when the transaction commits (each returns void). */
    /**
     * Sends the wake-ups of a transaction: the payloads joined into as few notifications as
     * fit PostgreSQL's payload limit (8000 bytes; names are ASCII), so a transaction that
     * touched a thousand runs sends a handful of NOTIFYs, not a thousand.
     */
    public void notify(Handle h, List<String> payloads) {
        if (payloads.isEmpty()) {
            return;
        }
        List<String> messages = new ArrayList<>();
        StringBuilder m = new StringBuilder();
        for (String p : payloads) {
            if (!m.isEmpty() && m.length() + 1 + p.length() > NOTIFY_CHARS) {
                messages.add(m.toString());
                m.setLength(0);
            }
            if (!m.isEmpty()) {
                m.append(PgListener.SEPARATOR);
            }
            m.append(p);
        }
        messages.add(m.toString());
        h.createQuery(EVENTS.get("notify")).bind("payloads", messages.toArray(String[]::new))
                .mapTo(String.class).list();
    }
}

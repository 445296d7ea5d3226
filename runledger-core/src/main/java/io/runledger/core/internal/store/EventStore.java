package io.runledger.core.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.EventDraft;
import io.runledger.api.RunEvent;
import io.runledger.core.internal.db.SqlStatements;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Statements of {@code run_events}, the append-only ledger, and the NOTIFY that tells
 * listeners it grew. Seqs are reserved on the run row ({@link RunStore}) in the same
 * transaction before events are inserted.
 */
public final class EventStore {
    private static final SqlStatements EVENTS = SqlStatements.load(EventStore.class, "run_events.sql");

    /** Inserts events at seqs {@code firstSeq, firstSeq + 1, ...}. */
    public void eventsInsert(Handle h, String scope, String runId, long firstSeq, List<EventDraft> events) {
        String[] types = new String[events.size()];
        String[] datas = new String[events.size()];
        for (int i = 0; i < events.size(); i++) {
            types[i] = events.get(i).type();
            JsonNode data = events.get(i).data();
            datas[i] = data == null ? "{}" : Json.write(data);
        }
        h.createUpdate(EVENTS.get("eventsInsert"))
                .bind("scope", scope).bind("runId", runId).bind("firstSeq", firstSeq)
                .bind("types", types).bind("datas", datas)
                .execute();
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
    public void notify(Handle h, List<String> payloads) {
        if (payloads.isEmpty()) {
            return;
        }
        h.createQuery(EVENTS.get("notify")).bind("payloads", payloads.toArray(String[]::new))
                .mapTo(String.class).list();
    }
}

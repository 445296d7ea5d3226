package io.runledger.core.internal.store;

import io.runledger.core.internal.db.SqlStatements;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** Statements of {@code run_messages}: signals waiting for, handed to and acked by a run's worker. */
public final class MessageStore {
    private static final SqlStatements MESSAGES = SqlStatements.load(MessageStore.class, "run_messages.sql");

    private static final RowMapper<MessageRow> MESSAGE = (rs, ctx) -> new MessageRow(
            rs.getString("scope_id"),
            rs.getString("message_id"),
            rs.getString("run_id"),
            rs.getLong("seq"),
            rs.getString("type"),
            rs.getString("severity"),
            Json.read(rs.getString("data")),
            rs.getString("status"),
            RunMapper.instant(rs, "created_at"),
            RunMapper.instant(rs, "delivered_at"),
            RunMapper.instant(rs, "acked_at"));

    public void messageInsert(Handle h, MessageInsert p) {
        h.createUpdate(MESSAGES.get("messageInsert"))
                .bind("scope", p.scope()).bind("messageId", p.messageId()).bind("runId", p.runId())
                .bind("seq", p.seq()).bind("type", p.type()).bind("severity", p.severity())
                .bind("data", Json.write(p.data()))
                .execute();
    }

    /** Marks the pending messages of the runs delivered and returns them, in no particular order. */
    public List<MessageRow> messagesDeliver(Handle h, String scope, Collection<String> runIds) {
        return h.createQuery(MESSAGES.get("messagesDeliver")).bind("scope", scope)
                .bind("runIds", runIds.toArray(String[]::new))
                .map(MESSAGE).list();
    }

    /** The acked message; empty if it is not there, was acked before, or the token is not the lease holder's. */
    public Optional<MessageRow> messageAck(Handle h, String scope, String runId, String messageId, String leaseToken) {
        return h.createQuery(MESSAGES.get("messageAck"))
                .bind("scope", scope).bind("runId", runId).bind("messageId", messageId)
                .bind("leaseToken", leaseToken).map(MESSAGE).findOne();
    }

    public Optional<MessageRow> messageGet(Handle h, String scope, String runId, String messageId) {
        return h.createQuery(MESSAGES.get("messageGet"))
                .bind("scope", scope).bind("runId", runId).bind("messageId", messageId).map(MESSAGE).findOne();
    }

    public List<MessageRow> messagesList(Handle h, String scope, String runId) {
        return h.createQuery(MESSAGES.get("messagesList")).bind("scope", scope).bind("runId", runId)
                .map(MESSAGE).list();
    }
}

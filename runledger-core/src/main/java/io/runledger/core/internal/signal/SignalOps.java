package io.runledger.core.internal.signal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.EventDraft;
import io.runledger.api.EventTypes;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidNameException;
import io.runledger.api.LeaseLostException;
import io.runledger.api.NotFoundException;
import io.runledger.api.RunAlreadySettledException;
import io.runledger.api.RunStatus;
import io.runledger.core.RunMessage;
import io.runledger.core.internal.engine.Limits;
import io.runledger.core.internal.engine.Tx;
import io.runledger.core.internal.store.Json;
import io.runledger.core.internal.store.OpsStore;
import io.runledger.core.internal.store.Rows;
import io.runledger.core.internal.store.RunStore;
import io.runledger.core.internal.store.StoredRun;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * Signals: a {@code run.signal} event in the ledger plus an outbound message for the run's
 * worker, delivered on its next heartbeat ({@code pending -> delivered}) and acknowledged
 * by the worker ({@code -> acked}).
 */
public final class SignalOps {
    private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Set<String> SEVERITIES = Set.of("debug", "info", "warning", "error", "critical");

    private final Tx tx;
    private final RunStore runs;
    private final OpsStore store;

    public SignalOps(Tx tx, RunStore runs, OpsStore store) {
        this.tx = tx;
        this.runs = runs;
        this.store = store;
    }

    /** Sends a signal to a run that is not settled; returns the message. */
    public RunMessage signal(String scope, String runId, String type, JsonNode data, String severity) {
        InvalidNameException.requireValid("scope", scope);
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new InvalidArgumentException("signal type must match [a-z0-9][a-z0-9._-]{0,62}");
        }
        String level = severity == null ? "info" : severity;
        if (!SEVERITIES.contains(level)) {
            throw new InvalidArgumentException("severity must be one of debug, info, warning, error, critical");
        }
        Limits.requireSize("signal data", data, Limits.MAX_EVENT_DATA_BYTES);
        JsonNode payload = data == null ? Json.MAPPER.createObjectNode() : data;
        String messageId = "msg_" + UUID.randomUUID().toString().replace("-", "");
        return tx.run((h, changes) -> {
            StoredRun row = runs.runLock(h, scope, runId).orElseThrow(() -> NotFoundException.run(runId));
            if (row.run().status().isTerminal()) {
                throw new RunAlreadySettledException(runId, row.run().status());
            }
            ObjectNode event = Json.MAPPER.createObjectNode();
            event.put("messageId", messageId);
            event.put("type", type);
            event.put("severity", level);
            event.set("data", payload);
            long seq = runs.eventsAppend(h, scope, runId, List.of(new EventDraft(EventTypes.SIGNAL, event)))
                    .run().lastSeq();
            store.messageInsert(h, scope, messageId, runId, seq, type, level, payload);
            changes.events(scope, runId);
            return store.messageGet(h, scope, runId, messageId).map(SignalOps::message).orElseThrow();
        });
    }

    /** Pending messages of a run, marked delivered, for its worker's heartbeat (same transaction). */
    public List<JsonNode> deliver(Handle h, String scope, String runId) {
        return store.messagesDeliver(h, scope, runId).stream().map(SignalOps::message).map(m -> (JsonNode) m.toJson()).toList();
    }

    /** The worker acknowledges a message it handled; fenced by its lease token. */
    public RunMessage ack(String scope, String runId, String messageId, String leaseToken) {
        InvalidNameException.requireValid("scope", scope);
        if (leaseToken == null || leaseToken.isBlank()) {
            throw new InvalidArgumentException("leaseToken is required");
        }
        return tx.run((h, changes) -> {
            var acked = store.messageAck(h, scope, runId, messageId, leaseToken);
            if (acked.isPresent()) {
                return message(acked.get());
            }
            // The fenced update matched nothing: say why. A run that is not running has no
            // lease holder, whatever token it still carries.
            StoredRun row = runs.runGet(h, scope, runId).orElseThrow(() -> NotFoundException.run(runId));
            if (row.run().status() != RunStatus.RUNNING || !leaseToken.equals(row.leaseToken())) {
                throw new LeaseLostException(runId);
            }
            // Acked before (a repeated ack answers the same) or no such message.
            return store.messageGet(h, scope, runId, messageId)
                    .map(SignalOps::message)
                    .orElseThrow(() -> NotFoundException.of("message_not_found",
                            "message '" + messageId + "' does not exist on run '" + runId + "'"));
        });
    }

    public List<RunMessage> list(String scope, String runId) {
        InvalidNameException.requireValid("scope", scope);
        return tx.read(h -> {
            if (!runs.runExists(h, scope, runId)) {
                throw NotFoundException.run(runId);
            }
            return store.messagesList(h, scope, runId).stream().map(SignalOps::message).toList();
        });
    }

    private static RunMessage message(Map<String, Object> row) {
        return new RunMessage((String) row.get("message_id"), (String) row.get("run_id"),
                ((Number) row.get("seq")).longValue(), (String) row.get("type"), (String) row.get("severity"),
                Json.read(String.valueOf(row.get("data"))), (String) row.get("status"),
                Rows.instant(row.get("created_at")), Rows.instant(row.get("delivered_at")), Rows.instant(row.get("acked_at")));
    }
}

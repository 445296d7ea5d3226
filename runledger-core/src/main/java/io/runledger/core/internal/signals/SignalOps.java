package io.runledger.core.internal.signals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.EventDraft;
import io.runledger.api.EventTypes;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidNameException;
import io.runledger.api.LeaseLostException;
import io.runledger.api.NotFoundException;
import io.runledger.api.RunAlreadySettledException;
import io.runledger.api.RunMessage;
import io.runledger.api.RunStatus;
import io.runledger.api.Signal;
import io.runledger.api.Signals;
import io.runledger.core.internal.kernel.Limits;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.store.EventStore;
import io.runledger.core.internal.store.Json;
import io.runledger.core.internal.store.MessageInsert;
import io.runledger.core.internal.store.MessageRow;
import io.runledger.core.internal.store.MessageStore;
import io.runledger.core.internal.store.RunStore;
import io.runledger.core.internal.store.StoredRun;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
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
public final class SignalOps implements Signals {
    private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Set<String> SEVERITIES = Set.of("debug", "info", "warning", "error", "critical");

    private final Tx tx;
    private final RunStore runs;
    private final EventStore ledger;
    private final MessageStore store;

    public SignalOps(Tx tx, RunStore runs, EventStore ledger, MessageStore store) {
        this.tx = tx;
        this.runs = runs;
        this.ledger = ledger;
        this.store = store;
    }

    @Override
    public RunMessage send(String scope, String runId, Signal signal) {
        InvalidNameException.requireValid("scope", scope);
        if (signal == null) {
            throw new InvalidArgumentException("a signal is required");
        }
        String type = signal.type();
        JsonNode data = signal.data();
        String severity = signal.severity();
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
            long seq = ledger.eventsAppend(h, scope, runId, List.of(new EventDraft(EventTypes.SIGNAL, event)))
                    .run().lastSeq();
            store.messageInsert(h, new MessageInsert(scope, messageId, runId, seq, type, level, payload));
            changes.events(scope, runId);
            return store.messageGet(h, scope, runId, messageId).map(SignalOps::message).orElseThrow();
        });
    }

    /**
     * Pending messages of runs, marked delivered, for their workers' heartbeats (same
     * transaction), in one statement: by run, each run's oldest first.
     */
    public Map<String, List<RunMessage>> deliver(Handle h, String scope, Collection<String> runIds) {
        if (runIds.isEmpty()) {
            return Map.of();
        }
        Map<String, List<RunMessage>> byRun = new HashMap<>();
        store.messagesDeliver(h, scope, runIds).stream()
                .sorted(Comparator.comparing(MessageRow::createdAt).thenComparing(MessageRow::messageId))
                .forEach(m -> byRun.computeIfAbsent(m.runId(), r -> new ArrayList<>()).add(message(m)));
        return byRun;
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

    @Override
    public List<RunMessage> messages(String scope, String runId) {
        InvalidNameException.requireValid("scope", scope);
        return tx.read(h -> {
            if (!runs.runExists(h, scope, runId)) {
                throw NotFoundException.run(runId);
            }
            return store.messagesList(h, scope, runId).stream().map(SignalOps::message).toList();
        });
    }

    private static RunMessage message(MessageRow row) {
        return new RunMessage(row.messageId(), row.runId(), row.seq(), row.type(), row.severity(), row.data(),
                row.status(), row.createdAt(), row.deliveredAt(), row.ackedAt());
    }
}

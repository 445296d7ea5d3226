package io.runledger.core.internal.runs;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.EventTypes;
import io.runledger.api.InvalidNameException;
import io.runledger.api.NotFoundException;
import io.runledger.api.RebuildResult;
import io.runledger.api.Run;
import io.runledger.api.RunError;
import io.runledger.api.RunEvent;
import io.runledger.api.RunStatus;
import io.runledger.api.Timestamps;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.store.EventStore;
import io.runledger.core.internal.store.RunStore;
import io.runledger.core.internal.store.StoredRun;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Projection = fold(ledger) (invariant 10): the run's state rebuilt from its events alone.
 * Fields that the ledger does not carry (the lease expiry, which heartbeats move, and
 * {@code updatedAt}) are taken from the stored row.
 */
public final class Projection {
    /**
     * The event types {@link #fold} reads; every other event leaves the projection as it is,
     * so folding only these gives the same run (a webhook's run-as-of-an-event uses that).
     */
    public static final List<String> FOLDED_TYPES = List.of(EventTypes.ACCEPTED, EventTypes.SCHEDULED,
            EventTypes.RESUMED, EventTypes.STARTED, EventTypes.STOP_REQUESTED, EventTypes.RETRYING,
            EventTypes.WAITING, EventTypes.SUCCEEDED, EventTypes.FAILED, EventTypes.CANCELLED, EventTypes.EXPIRED);

    private final Tx tx;
    private final RunStore store;
    private final EventStore ledger;

    public Projection(Tx tx, RunStore store, EventStore ledger) {
        this.tx = tx;
        this.store = store;
        this.ledger = ledger;
    }

    /** Folds the ledger, compares it with the stored row and repairs the row if they differ. */
    public RebuildResult rebuild(String scope, String runId) {
        InvalidNameException.requireValid("scope", scope);
        return tx.run((h, changes) -> {
            StoredRun row = store.runLock(h, scope, runId).orElseThrow(() -> NotFoundException.run(runId));
            Run before = row.run();
            Run folded = fold(ledger.eventsAll(h, scope, runId), before);
            if (folded.equals(before)) {
                return new RebuildResult(false, before, before);
            }
            Run after = store.runRepair(h, folded);
            changes.events(scope, runId);
            return new RebuildResult(true, before, after);
        });
    }

    /** The state the ledger describes; {@code stored} supplies scope, lease expiry and updatedAt. */
    public static Run fold(List<RunEvent> events, Run stored) {
        if (events.isEmpty() || !EventTypes.ACCEPTED.equals(events.get(0).type())) {
            throw new IllegalStateException("the ledger of run " + stored.runId() + " does not start with run.accepted");
        }
        State s = new State();
        for (RunEvent e : events) {
            s.apply(e);
        }
        return new Run(stored.runId(), stored.scope(), s.service, s.status, s.attempt, s.maxAttempts, s.input,
                s.output, s.error, s.commandId, s.correlationId, s.concurrencyKey, s.parentRunId, s.tags,
                s.metadata, s.workerId, s.createdAt, s.runAt, s.startedAt, s.finishedAt, s.stopRequestedAt,
                s.status == RunStatus.RUNNING ? stored.leaseExpiresAt() : null, stored.updatedAt(), s.lastSeq,
                s.rootRunId != null ? s.rootRunId : stored.runId(), s.replayOf, s.priority, s.lastEventAt);
    }

    private static final class State {
        String service;
        RunStatus status;
        int attempt;
        int maxAttempts;
        JsonNode input;
        JsonNode output;
        RunError error;
        String commandId;
        String correlationId;
        String concurrencyKey;
        String parentRunId;
        String rootRunId;
        String replayOf;
        int priority;
        List<String> tags = List.of();
        JsonNode metadata;
        String workerId;
        Instant createdAt;
        Instant runAt;
        Instant startedAt;
        Instant finishedAt;
        Instant stopRequestedAt;
        long lastSeq;
        Instant lastEventAt;

        void apply(RunEvent e) {
            JsonNode d = e.data();
            Instant at = e.createdAt();
            lastSeq = e.seq();
            lastEventAt = at;
            switch (e.type()) {
                case EventTypes.ACCEPTED -> {
                    service = text(d, "service");
                    status = RunStatus.ACCEPTED;
                    attempt = d.path("attempt").asInt(1);
                    maxAttempts = d.path("maxAttempts").asInt();
                    input = d.get("input");
                    commandId = text(d, "commandId");
                    correlationId = text(d, "correlationId");
                    concurrencyKey = text(d, "concurrencyKey");
                    parentRunId = text(d, "parentRunId");
                    List<String> t = new ArrayList<>();
                    d.path("tags").forEach(n -> t.add(n.asText()));
                    tags = t;
                    metadata = d.get("metadata");
                    runAt = Timestamps.parse(text(d, "runAt"));
                    rootRunId = text(d, "rootRunId");
                    replayOf = text(d, "replayOf");
                    priority = d.path("priority").asInt(0);
                    createdAt = at;
                }
                case EventTypes.SCHEDULED -> status = RunStatus.SCHEDULED;
                case EventTypes.RESUMED -> status = RunStatus.ACCEPTED;
                case EventTypes.STARTED -> {
                    status = RunStatus.RUNNING;
                    attempt = d.path("attempt").asInt(attempt);
                    workerId = text(d, "workerId");
                    startedAt = startedAt == null ? at : startedAt;
                }
                case EventTypes.STOP_REQUESTED -> stopRequestedAt = at;
                case EventTypes.RETRYING -> {
                    // a retry after a delay waits scheduled until its runAt
                    Instant due = Timestamps.parse(text(d, "runAt"));
                    status = due == null ? RunStatus.ACCEPTED : RunStatus.SCHEDULED;
                    runAt = due == null ? runAt : due;
                    attempt = d.path("attempt").asInt(attempt);
                    error = error(d.get("error"));
                }
                case EventTypes.WAITING -> status = RunStatus.WAITING;
                case EventTypes.SUCCEEDED -> {
                    status = RunStatus.SUCCEEDED;
                    output = d.get("output");
                    error = null;
                    finishedAt = at;
                }
                case EventTypes.FAILED -> {
                    status = RunStatus.FAILED;
                    error = error(d.get("error"));
                    finishedAt = at;
                }
                case EventTypes.CANCELLED -> {
                    status = RunStatus.CANCELLED;
                    error = error(d.get("error"));
                    finishedAt = at;
                    stopRequestedAt = stopRequestedAt == null ? at : stopRequestedAt;
                }
                case EventTypes.EXPIRED -> {
                    status = RunStatus.EXPIRED;
                    error = error(d.get("error"));
                    finishedAt = at;
                }
                default -> {
                    // worker events, signals and lease expiries do not change the projection
                    // (a type that does must be added to FOLDED_TYPES as well)
                }
            }
        }

        private static String text(JsonNode d, String field) {
            JsonNode v = d.get(field);
            return v == null || v.isNull() ? null : v.asText();
        }

        private static RunError error(JsonNode node) {
            if (node == null || node.isNull()) {
                return null;
            }
            JsonNode detail = node.get("detail");
            return new RunError(node.path("code").asText(), node.path("message").asText(),
                    detail == null || detail.isNull() ? null : detail);
        }
    }
}

package io.runledger.core.internal.webhooks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.Run;
import io.runledger.api.RunEvent;
import io.runledger.api.Timestamps;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.runs.Projection;
import io.runledger.core.internal.store.EventStore;
import io.runledger.core.internal.store.Json;
import io.runledger.core.internal.store.RunStore;
import io.runledger.core.internal.store.StoredRun;
import java.util.Objects;

/**
 * The Standard Webhooks payload of one event: {@code {type, timestamp, data}}, where data
 * holds the event and its run as it was when the event was written. That run is the ledger
 * folded up to the event's seq (Projection = fold(ledger), invariant 10), so a delivery sent
 * late, or retried after the run moved on, still reports {@code accepted} for
 * {@code run.accepted}, and the outbox row needs no copy of the run.
 */
final class WebhookPayload {
    private final Tx tx;
    private final RunStore runs;
    private final EventStore ledger;

    WebhookPayload(Tx tx, RunStore runs, EventStore ledger) {
        this.tx = Objects.requireNonNull(tx, "tx");
        this.runs = Objects.requireNonNull(runs, "runs");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
    }

    String build(String scope, String runId, long seq) {
        return tx.read(h -> {
            RunEvent event = ledger.eventsList(h, scope, runId, seq - 1, 1).stream().findFirst()
                    .orElseThrow(() -> new IllegalStateException("event " + runId + "#" + seq + " is missing"));
            Run stored = runs.runGet(h, scope, runId).map(StoredRun::run)
                    .orElseThrow(() -> new IllegalStateException("run " + runId + " is missing"));
            Run run = Projection.fold(ledger.eventsFoldedUpTo(h, scope, runId, seq, Projection.FOLDED_TYPES), stored);
            ObjectNode root = Json.MAPPER.createObjectNode();
            root.put("type", event.type());
            root.put("timestamp", Timestamps.format(event.createdAt()));
            ObjectNode data = root.putObject("data");
            data.put("scope", scope);
            data.put("runId", runId);
            data.put("service", run.service());
            data.put("seq", event.seq());
            data.put("schemaVersion", event.schemaVersion());
            data.set("event", event.data());
            ObjectNode r = data.putObject("run");
            r.put("status", run.status().wireName());
            r.put("attempt", run.attempt());
            r.set("output", run.output());
            r.set("error", run.error() == null ? null : Json.MAPPER.valueToTree(run.error()));
            r.put("correlationId", run.correlationId());
            r.put("finishedAt", Timestamps.format(run.finishedAt()));
            return Json.write(root);
        });
    }
}

package io.runledger.core.internal.batches;

import io.runledger.api.BatchInfo;
import io.runledger.api.BatchReceipt;
import io.runledger.api.EventDraft;
import io.runledger.api.Batches;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidNameException;
import io.runledger.api.NotFoundException;
import io.runledger.api.Receipt;
import io.runledger.api.ServiceInfo;
import io.runledger.api.TriggerRequest;
import io.runledger.core.internal.kernel.RunIds;
import io.runledger.core.internal.kernel.ServerEvents;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.runs.TriggerOps;
import io.runledger.core.internal.store.BatchRow;
import io.runledger.core.internal.store.BatchStore;
import io.runledger.core.internal.store.RunInsert;
import io.runledger.core.internal.store.RunStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Batches: up to {@value #MAX_ITEMS} runs registered in one transaction, all or nothing,
 * each item exactly as a single trigger (idempotency keys and concurrency keys honoured).
 */
public final class BatchOps implements Batches {
    public static final int MAX_ITEMS = 1000;

    private final Tx tx;
    private final BatchStore store;
    private final TriggerOps triggers;
    private final RunStore runStore;

    public BatchOps(Tx tx, BatchStore store, TriggerOps triggers, RunStore runStore) {
        this.tx = tx;
        this.store = store;
        this.triggers = triggers;
        this.runStore = runStore;
    }

    @Override
    public BatchReceipt register(String scope, String service, List<TriggerRequest> items) {
        InvalidNameException.requireValid("scope", scope);
        InvalidNameException.requireValid("service", service);
        if (items == null || items.isEmpty() || items.size() > MAX_ITEMS) {
            throw new InvalidArgumentException("items must hold 1.." + MAX_ITEMS + " runs");
        }
        for (int i = 0; i < items.size(); i++) {
            try {
                TriggerOps.validate(items.get(i));
            } catch (InvalidArgumentException e) {
                throw new InvalidArgumentException("items[" + i + "]: " + e.getMessage());
            }
        }
        String batchId = triggers.ids().batch();
        List<String> runIds = new ArrayList<>(items.size());
        items.forEach(i -> runIds.add(triggers.ids().run()));
        return tx.run((h, changes) -> {
            // The batch row comes first (its runs reference it), so an unknown scope or service
            // is refused here as a 404, not by its foreign key as a 500.
            ServiceInfo svc = triggers.requireService(h, scope, service);
            store.batchInsert(h, scope, batchId, service, items.size());
            Receipt[] receipts = new Receipt[items.size()];
            // Immediate items (the common case) are written together in one statement; the
            // others take the single trigger's path, one by one, in the same transaction.
            List<Integer> immediate = new ArrayList<>();
            List<RunInsert> runs = new ArrayList<>();
            List<EventDraft> accepted = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                TriggerRequest item = items.get(i);
                try {
                    if (TriggerOps.immediate(item)) {
                        RunInsert run = triggers.immediateRun(svc, scope, runIds.get(i), item, batchId);
                        immediate.add(i);
                        runs.add(run);
                        accepted.add(ServerEvents.accepted(run));
                    } else {
                        receipts[i] = triggers.register(h, changes, scope, service, item, runIds.get(i), batchId);
                    }
                } catch (InvalidArgumentException e) {
                    throw new InvalidArgumentException("items[" + i + "]: " + e.getMessage());
                }
            }
            if (!runs.isEmpty()) {
                List<Receipt> written = runStore.runsInsert(h, runs, accepted, List.of(Tx.Changes.workPayload(scope)));
                for (int j = 0; j < written.size(); j++) {
                    receipts[immediate.get(j)] = written.get(j);
                }
                changes.workNotified(scope);
                changes.triggered(scope, service, runs.size());
            }
            return new BatchReceipt(batchId, List.of(receipts));
        });
    }

    @Override
    public BatchInfo get(String scope, String batchId) {
        InvalidNameException.requireValid("scope", scope);
        return tx.read(h -> {
            BatchRow row = store.batchGet(h, scope, batchId).orElseThrow(() ->
                    NotFoundException.of("batch_not_found", "batch '" + batchId + "' does not exist"));
            return new BatchInfo(batchId, scope, row.service(), row.size(), row.createdAt(),
                    store.batchRunIds(h, scope, batchId), row.counts());
        });
    }
}

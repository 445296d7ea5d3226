package io.runledger.core.internal.batches;

import io.runledger.api.BatchInfo;
import io.runledger.api.BatchReceipt;
import io.runledger.api.Batches;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidNameException;
import io.runledger.api.NotFoundException;
import io.runledger.api.Receipt;
import io.runledger.api.RunLedgerException;
import io.runledger.api.TriggerRequest;
import io.runledger.core.internal.kernel.RunIds;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.runs.TriggerOps;
import io.runledger.core.internal.store.BatchRow;
import io.runledger.core.internal.store.BatchStore;
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

    public BatchOps(Tx tx, BatchStore store, TriggerOps triggers) {
        this.tx = tx;
        this.store = store;
        this.triggers = triggers;
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
        String batchId = "bat_" + RunIds.run().substring(4);
        List<String> runIds = new ArrayList<>(items.size());
        items.forEach(i -> runIds.add(RunIds.run()));
        return tx.run((h, changes) -> {
            // The batch row comes first (its runs reference it), so an unknown scope or service
            // is refused here as a 404, not by its foreign key as a 500.
            triggers.requireService(h, scope, service);
            store.batchInsert(h, scope, batchId, service, items.size());
            List<Receipt> receipts = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                try {
                    receipts.add(triggers.register(h, changes, scope, service, items.get(i), runIds.get(i), batchId));
                } catch (InvalidArgumentException e) {
                    throw new InvalidArgumentException("items[" + i + "]: " + e.getMessage());
                } catch (RunLedgerException e) {
                    throw e; // the whole batch rolls back; the error keeps its own code
                }
            }
            return new BatchReceipt(batchId, receipts);
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

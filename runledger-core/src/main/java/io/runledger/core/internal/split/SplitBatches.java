package io.runledger.core.internal.split;

import io.runledger.api.BatchInfo;
import io.runledger.api.BatchReceipt;
import io.runledger.api.Batches;
import io.runledger.api.TriggerRequest;
import java.util.List;

/** A new batch, with all its runs, is created on the runs database; a batch is read where its id says. */
record SplitBatches(Stores stores) implements Batches {
    @Override
    public BatchReceipt register(String scope, String service, List<TriggerRequest> items) {
        return stores.runs().batches().register(scope, service, items);
    }

    @Override
    public BatchInfo get(String scope, String batchId) {
        return stores.of(batchId).batches().get(scope, batchId);
    }
}

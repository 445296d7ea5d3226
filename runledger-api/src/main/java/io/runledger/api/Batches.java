package io.runledger.api;

import java.util.List;

/** Many runs of one service registered together: all or none. */
public interface Batches {

    /** Registers up to 1,000 runs in one transaction; any refusal refuses the whole batch. */
    BatchReceipt register(String scope, String service, List<TriggerRequest> items);

    /** The batch with how many of its runs are in each status. */
    BatchInfo get(String scope, String batchId);
}

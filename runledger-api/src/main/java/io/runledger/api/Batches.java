package io.runledger.api;

import java.util.List;

/** Many runs of one service registered together: all or none. */
public interface Batches {

    /**
     * Registers up to 1,000 runs in one transaction; any refusal refuses the whole batch.
     *
     * @param scope the scope
     * @param service the service of every run
     * @param items one trigger request per run, 1..1,000
     * @return the batch's id and one receipt per item, in item order
     */
    BatchReceipt register(String scope, String service, List<TriggerRequest> items);

    /**
     * The batch with how many of its runs are in each status.
     *
     * @param scope the scope
     * @param batchId the batch
     * @return the batch and its status counts
     * @throws NotFoundException if there is no such batch in the scope
     */
    BatchInfo get(String scope, String batchId);
}

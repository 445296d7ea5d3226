package io.runledger.server.contract;

import io.runledger.core.contract.Target;
import io.runledger.core.contract.WorkerBatchesContract;

class WorkerBatchesHttpTest extends WorkerBatchesContract {
    @Override
    protected Target newTarget() {
        return new HttpTarget();
    }
}

package io.runledger.server.contract;

import io.runledger.core.contract.BatchesContract;
import io.runledger.core.contract.Target;

class BatchesHttpTest extends BatchesContract {
    @Override
    protected Target newTarget() {
        return new HttpTarget();
    }
}

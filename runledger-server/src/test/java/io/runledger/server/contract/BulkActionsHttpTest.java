package io.runledger.server.contract;

import io.runledger.core.contract.BulkActionsContract;
import io.runledger.core.contract.Target;

class BulkActionsHttpTest extends BulkActionsContract {
    @Override
    protected Target newTarget() {
        return new HttpTarget();
    }
}

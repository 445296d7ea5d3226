package io.runledger.server.contract;

import io.runledger.core.contract.WorkersContract;
import io.runledger.core.contract.Target;

class WorkersHttpTest extends WorkersContract {
    @Override
    protected Target newTarget() {
        return new HttpTarget();
    }
}

package io.runledger.server.contract;

import io.runledger.core.contract.Target;
import io.runledger.core.contract.WorkersContract;

class WorkersHttpTest extends WorkersContract {
    @Override
    protected Target newTarget() {
        return new HttpTarget();
    }
}

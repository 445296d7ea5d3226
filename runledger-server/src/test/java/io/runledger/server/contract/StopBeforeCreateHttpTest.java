package io.runledger.server.contract;

import io.runledger.core.contract.StopBeforeCreateContract;
import io.runledger.core.contract.Target;

class StopBeforeCreateHttpTest extends StopBeforeCreateContract {
    @Override
    protected Target newTarget() {
        return new HttpTarget();
    }
}

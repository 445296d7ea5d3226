package io.runledger.server.contract;

import io.runledger.core.contract.OrchestrationContract;
import io.runledger.core.contract.Target;

class OrchestrationHttpTest extends OrchestrationContract {
    @Override
    protected Target newTarget() {
        return new HttpTarget();
    }
}

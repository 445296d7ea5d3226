package io.runledger.server.contract;

import io.runledger.core.contract.RunHealthContract;
import io.runledger.core.contract.Target;

class RunHealthHttpTest extends RunHealthContract {
    @Override
    protected Target newTarget() {
        return new HttpTarget();
    }
}

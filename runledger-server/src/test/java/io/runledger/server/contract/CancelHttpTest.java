package io.runledger.server.contract;

import io.runledger.core.contract.CancelContract;
import io.runledger.core.contract.Target;

class CancelHttpTest extends CancelContract {
    @Override
    protected Target newTarget() {
        return new HttpTarget();
    }
}

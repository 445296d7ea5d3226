package io.runledger.server.contract;

import io.runledger.core.contract.OutcomesContract;
import io.runledger.core.contract.Target;

class OutcomesHttpTest extends OutcomesContract {
    @Override
    protected Target newTarget() {
        return new HttpTarget();
    }
}

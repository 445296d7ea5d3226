package io.runledger.server.contract;

import io.runledger.core.contract.AdminContract;
import io.runledger.core.contract.Target;

class AdminHttpTest extends AdminContract {
    @Override
    protected Target newTarget() {
        return new HttpTarget();
    }
}

package io.runledger.server.contract;

import io.runledger.core.contract.LeaseExpiryContract;
import io.runledger.core.contract.Target;

class LeaseExpiryHttpTest extends LeaseExpiryContract {
    @Override
    protected Target newTarget() {
        return new HttpTarget();
    }
}

package io.runledger.server.contract;

import io.runledger.core.contract.RetentionContract;
import io.runledger.core.contract.Target;

class RetentionHttpTest extends RetentionContract {
    @Override
    protected Target newTarget() {
        return new HttpTarget();
    }
}

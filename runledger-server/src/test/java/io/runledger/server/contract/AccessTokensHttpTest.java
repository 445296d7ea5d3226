package io.runledger.server.contract;

import io.runledger.core.contract.AccessTokensContract;
import io.runledger.core.contract.Target;

class AccessTokensHttpTest extends AccessTokensContract {
    @Override
    protected Target newTarget() {
        return new HttpTarget();
    }
}

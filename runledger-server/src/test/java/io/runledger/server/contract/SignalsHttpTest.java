package io.runledger.server.contract;

import io.runledger.core.contract.SignalsContract;
import io.runledger.core.contract.Target;

class SignalsHttpTest extends SignalsContract {
    @Override
    protected Target newTarget() {
        return new HttpTarget();
    }
}

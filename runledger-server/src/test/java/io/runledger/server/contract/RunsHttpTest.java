package io.runledger.server.contract;

import io.runledger.core.contract.RunsContract;
import io.runledger.core.contract.Target;

class RunsHttpTest extends RunsContract {
    @Override
    protected Target newTarget() {
        return new HttpTarget();
    }
}

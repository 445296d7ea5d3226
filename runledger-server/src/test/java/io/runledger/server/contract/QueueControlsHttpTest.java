package io.runledger.server.contract;

import io.runledger.core.contract.QueueControlsContract;
import io.runledger.core.contract.Target;

class QueueControlsHttpTest extends QueueControlsContract {
    @Override
    protected Target newTarget() {
        return new HttpTarget();
    }
}

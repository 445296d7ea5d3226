package io.runledger.server.contract;

import io.runledger.core.contract.AlertsContract;
import io.runledger.core.contract.Target;

class AlertsHttpTest extends AlertsContract {
    @Override
    protected Target newTarget() {
        return new HttpTarget();
    }
}

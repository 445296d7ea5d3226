package io.runledger.server.contract;

import io.runledger.core.contract.TriggerRulesContract;
import io.runledger.core.contract.Target;

class TriggerRulesHttpTest extends TriggerRulesContract {
    @Override
    protected Target newTarget() {
        return new HttpTarget();
    }
}

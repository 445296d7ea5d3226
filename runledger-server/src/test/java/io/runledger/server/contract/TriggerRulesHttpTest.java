package io.runledger.server.contract;

import io.runledger.core.contract.Target;
import io.runledger.core.contract.TriggerRulesContract;

class TriggerRulesHttpTest extends TriggerRulesContract {
    @Override
    protected Target newTarget() {
        return new HttpTarget();
    }
}

package io.runledger.server.contract;

import io.runledger.core.contract.WebhooksContract;
import io.runledger.core.contract.Target;

class WebhooksHttpTest extends WebhooksContract {
    @Override
    protected Target newTarget() {
        return new HttpTarget();
    }
}

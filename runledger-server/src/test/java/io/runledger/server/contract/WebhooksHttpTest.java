package io.runledger.server.contract;

import io.runledger.core.contract.Target;
import io.runledger.core.contract.WebhooksContract;

class WebhooksHttpTest extends WebhooksContract {
    @Override
    protected Target newTarget() {
        return new HttpTarget();
    }
}

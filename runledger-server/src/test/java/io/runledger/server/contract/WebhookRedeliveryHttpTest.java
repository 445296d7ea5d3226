package io.runledger.server.contract;

import io.runledger.core.contract.Target;
import io.runledger.core.contract.WebhookRedeliveryContract;

class WebhookRedeliveryHttpTest extends WebhookRedeliveryContract {
    @Override
    protected Target newTarget() {
        return new HttpTarget();
    }
}

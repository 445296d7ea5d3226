package io.runledger.core.contract;

class WebhookRedeliveryEmbeddedTest extends WebhookRedeliveryContract {
    @Override
    protected Target newTarget() {
        return new EmbeddedTarget();
    }
}

package io.runledger.core.contract;

class WebhooksEmbeddedTest extends WebhooksContract {
    @Override
    protected Target newTarget() {
        return new EmbeddedTarget();
    }
}

package io.runledger.core.contract;

class AlertsEmbeddedTest extends AlertsContract {
    @Override
    protected Target newTarget() {
        return new EmbeddedTarget();
    }
}

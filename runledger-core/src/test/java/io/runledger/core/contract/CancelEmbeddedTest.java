package io.runledger.core.contract;

class CancelEmbeddedTest extends CancelContract {
    @Override
    protected Target newTarget() {
        return new EmbeddedTarget();
    }
}

package io.runledger.core.contract;

class AdminEmbeddedTest extends AdminContract {
    @Override
    protected Target newTarget() {
        return new EmbeddedTarget();
    }
}

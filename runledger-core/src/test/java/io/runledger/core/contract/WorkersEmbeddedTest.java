package io.runledger.core.contract;

class WorkersEmbeddedTest extends WorkersContract {
    @Override
    protected Target newTarget() {
        return new EmbeddedTarget();
    }
}

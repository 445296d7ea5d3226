package io.runledger.core.contract;

class StopBeforeCreateEmbeddedTest extends StopBeforeCreateContract {
    @Override
    protected Target newTarget() {
        return new EmbeddedTarget();
    }
}

package io.runledger.core.contract;

class RunHealthEmbeddedTest extends RunHealthContract {
    @Override
    protected Target newTarget() {
        return new EmbeddedTarget();
    }
}

package io.runledger.core.contract;

class BatchesEmbeddedTest extends BatchesContract {
    @Override
    protected Target newTarget() {
        return new EmbeddedTarget();
    }
}

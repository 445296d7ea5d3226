package io.runledger.core.contract;

class WorkerBatchesEmbeddedTest extends WorkerBatchesContract {
    @Override
    protected Target newTarget() {
        return new EmbeddedTarget();
    }
}

package io.runledger.core.contract;

class BulkActionsEmbeddedTest extends BulkActionsContract {
    @Override
    protected Target newTarget() {
        return new EmbeddedTarget();
    }
}

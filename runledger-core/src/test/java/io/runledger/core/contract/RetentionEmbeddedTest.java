package io.runledger.core.contract;

class RetentionEmbeddedTest extends RetentionContract {
    @Override
    protected Target newTarget() {
        return new EmbeddedTarget();
    }
}

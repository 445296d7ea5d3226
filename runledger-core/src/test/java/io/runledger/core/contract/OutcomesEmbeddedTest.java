package io.runledger.core.contract;

class OutcomesEmbeddedTest extends OutcomesContract {
    @Override
    protected Target newTarget() {
        return new EmbeddedTarget();
    }
}

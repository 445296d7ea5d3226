package io.runledger.core.contract;

class OrchestrationEmbeddedTest extends OrchestrationContract {
    @Override
    protected Target newTarget() {
        return new EmbeddedTarget();
    }
}

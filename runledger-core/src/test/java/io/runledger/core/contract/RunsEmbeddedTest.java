package io.runledger.core.contract;

class RunsEmbeddedTest extends RunsContract {
    @Override
    protected Target newTarget() {
        return new EmbeddedTarget();
    }
}

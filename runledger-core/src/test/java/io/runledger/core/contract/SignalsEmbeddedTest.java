package io.runledger.core.contract;

class SignalsEmbeddedTest extends SignalsContract {
    @Override
    protected Target newTarget() {
        return new EmbeddedTarget();
    }
}

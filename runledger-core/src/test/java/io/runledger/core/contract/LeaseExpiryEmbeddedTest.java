package io.runledger.core.contract;

class LeaseExpiryEmbeddedTest extends LeaseExpiryContract {
    @Override
    protected Target newTarget() {
        return new EmbeddedTarget();
    }
}

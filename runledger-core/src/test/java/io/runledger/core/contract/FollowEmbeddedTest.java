package io.runledger.core.contract;

class FollowEmbeddedTest extends FollowContract {
    @Override
    protected Target newTarget() {
        return new EmbeddedTarget();
    }
}

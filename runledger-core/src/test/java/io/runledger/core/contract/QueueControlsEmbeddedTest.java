package io.runledger.core.contract;

class QueueControlsEmbeddedTest extends QueueControlsContract {
    @Override
    protected Target newTarget() {
        return new EmbeddedTarget();
    }
}

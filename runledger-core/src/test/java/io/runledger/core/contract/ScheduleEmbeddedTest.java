package io.runledger.core.contract;

class ScheduleEmbeddedTest extends ScheduleContract {
    @Override
    protected Target newTarget() {
        return new EmbeddedTarget();
    }
}

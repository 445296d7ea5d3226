package io.runledger.core.contract;

class TriggerRulesEmbeddedTest extends TriggerRulesContract {
    @Override
    protected Target newTarget() {
        return new EmbeddedTarget();
    }
}

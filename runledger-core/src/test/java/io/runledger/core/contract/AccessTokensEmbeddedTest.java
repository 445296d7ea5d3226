package io.runledger.core.contract;

class AccessTokensEmbeddedTest extends AccessTokensContract {
    @Override
    protected Target newTarget() {
        return new EmbeddedTarget();
    }
}

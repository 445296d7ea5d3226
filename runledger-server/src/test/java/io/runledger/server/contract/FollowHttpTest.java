package io.runledger.server.contract;

import io.runledger.core.contract.FollowContract;
import io.runledger.core.contract.Target;

class FollowHttpTest extends FollowContract {
    @Override
    protected Target newTarget() {
        return new HttpTarget();
    }
}

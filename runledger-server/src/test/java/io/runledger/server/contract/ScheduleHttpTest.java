package io.runledger.server.contract;

import io.runledger.core.contract.ScheduleContract;
import io.runledger.core.contract.Target;

class ScheduleHttpTest extends ScheduleContract {
    @Override
    protected Target newTarget() {
        return new HttpTarget();
    }
}

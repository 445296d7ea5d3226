package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.api.Lease;
import io.runledger.api.Run;
import io.runledger.api.RunStatus;
import io.runledger.core.testing.LedgerTestBase;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Invariant 6: a caller that goes away never affects the run. In the engine, "going away"
 * is a caller thread interrupted or abandoned while it waits on the run; only an explicit
 * cancel stops a run. (The HTTP server tests cover dropped connections.)
 */
class DetachedRunTest extends LedgerTestBase {

    @Test
    void anAbandonedWaiterLeavesTheRunToFinish() throws Exception {
        String runId = trigger().runId();
        AtomicReference<Run> seenByWaiter = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() ->
                seenByWaiter.set(ledger.runs().await(SCOPE, runId, Duration.ofSeconds(60))));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> waiter.getState() == Thread.State.WAITING
                || waiter.getState() == Thread.State.TIMED_WAITING);
        waiter.interrupt(); // the caller is gone
        waiter.join(5_000);
        assertThat(waiter.isAlive()).isFalse();
        assertThat(seenByWaiter.get().status()).isEqualTo(RunStatus.ACCEPTED);

        Lease lease = leaseOne("w");
        ledger.workers().complete(SCOPE, runId, lease.leaseToken(), json().put("done", true));
        assertThat(ledger.runs().get(SCOPE, runId).status()).isEqualTo(RunStatus.SUCCEEDED);
    }
}

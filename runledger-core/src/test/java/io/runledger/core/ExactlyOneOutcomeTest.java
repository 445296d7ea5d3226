package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.api.Lease;
import io.runledger.api.Run;
import io.runledger.api.RunAlreadySettledException;
import io.runledger.api.RunError;
import io.runledger.api.RunLedgerException;
import io.runledger.api.RunStatus;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Invariant 2: concurrent or repeated finalizers collapse to exactly one outcome. */
class ExactlyOneOutcomeTest extends LedgerTestBase {

    @RepeatedTest(3)
    void racingFinalizersProduceOneTerminalEvent() throws Exception {
        String runId = trigger().runId();
        Lease lease = leaseOne("w1");
        int racers = 16;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        List<Future<Object>> results = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            int n = i;
            results.add(pool.submit(() -> {
                start.await();
                try {
                    if (n % 2 == 0) {
                        return ledger.workers().complete(SCOPE, runId, lease.leaseToken(), json().put("by", n));
                    }
                    return ledger.workers().fail(SCOPE, runId, lease.leaseToken(),
                            RunError.of("boom", "racer " + n), false);
                } catch (RunLedgerException e) {
                    return e;
                }
            }));
        }
        start.countDown();
        int settled = 0;
        for (Future<Object> f : results) {
            Object r = f.get();
            if (r instanceof Run) {
                settled++;
            } else {
                assertThat(r).isInstanceOf(RunAlreadySettledException.class);
            }
        }
        pool.shutdown();
        assertThat(settled).isEqualTo(1);
        assertThat(TestDatabase.count("select count(*) from run_events where run_id = '" + runId
                + "' and type in ('run.succeeded','run.failed','run.cancelled','run.expired')")).isEqualTo(1);
        Run run = ledger.runs().get(SCOPE, runId);
        assertThat(run.status()).isIn(RunStatus.SUCCEEDED, RunStatus.FAILED);
        assertThat(ledger.runs().rebuildProjection(SCOPE, runId).changed()).isFalse();
    }

    @Test
    void aRepeatedCompletionReturnsTheSameResultAndADifferentOneIsRefused() {
        String runId = trigger().runId();
        Lease lease = leaseOne("w1");
        Run first = ledger.workers().complete(SCOPE, runId, lease.leaseToken(), json().put("v", 1));
        Run again = ledger.workers().complete(SCOPE, runId, lease.leaseToken(), json().put("v", 1));
        assertThat(again).isEqualTo(first);

        assertThatThrownBy(() -> ledger.workers().complete(SCOPE, runId, lease.leaseToken(), json().put("v", 2)))
                .isInstanceOf(RunAlreadySettledException.class)
                .hasMessageContaining("succeeded")
                .extracting(e -> ((RunLedgerException) e).code()).isEqualTo("run_already_settled");
        assertThatThrownBy(() -> ledger.workers().fail(SCOPE, runId, lease.leaseToken(),
                RunError.of("late", "too late"), false))
                .isInstanceOf(RunAlreadySettledException.class);
        assertThat(ledger.runs().get(SCOPE, runId).lastSeq()).isEqualTo(3);
    }

    @Test
    void aRepeatedFailureReturnsTheSameResult() {
        String runId = trigger().runId();
        Lease lease = leaseOne("w1");
        RunError error = new RunError("bad_input", "cannot parse", json().put("line", 3));
        Run first = ledger.workers().fail(SCOPE, runId, lease.leaseToken(), error, false);
        assertThat(first.status()).isEqualTo(RunStatus.FAILED);
        assertThat(first.error()).isEqualTo(error);
        Run again = ledger.workers().fail(SCOPE, runId, lease.leaseToken(), error, false);
        assertThat(again).isEqualTo(first);
        assertThatThrownBy(() -> ledger.workers().fail(SCOPE, runId, lease.leaseToken(),
                RunError.of("other", "different"), false))
                .isInstanceOf(RunAlreadySettledException.class);
    }

    @Test
    void aRetryableFailureRequeuesWithTheNextAttemptUntilAttemptsRunOut() {
        String runId = trigger().runId();
        for (int attempt = 1; attempt <= 3; attempt++) {
            Lease lease = leaseOne("w" + attempt);
            assertThat(lease.attempt()).isEqualTo(attempt);
            Run after = ledger.workers().fail(SCOPE, runId, lease.leaseToken(),
                    RunError.of("flaky", "try " + attempt), true);
            if (attempt < 3) {
                assertThat(after.status()).isEqualTo(RunStatus.ACCEPTED);
                assertThat(after.attempt()).isEqualTo(attempt + 1);
                // a repeat of the same report is answered, not applied twice
                assertThat(ledger.workers().fail(SCOPE, runId, lease.leaseToken(),
                        RunError.of("flaky", "try " + attempt), true)).isEqualTo(after);
            } else {
                assertThat(after.status()).isEqualTo(RunStatus.FAILED);
                assertThat(after.error().code()).isEqualTo("flaky");
            }
        }
        assertThat(TestDatabase.count("select count(*) from run_events where type = 'run.retrying'")).isEqualTo(2);
        assertThat(lease("w9", 1)).isEmpty();
        assertThat(ledger.runs().rebuildProjection(SCOPE, runId).changed()).isFalse();
    }
}

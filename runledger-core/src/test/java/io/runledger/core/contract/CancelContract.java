package io.runledger.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.api.CancelResult;
import io.runledger.api.Lease;
import io.runledger.api.NotFoundException;
import io.runledger.api.Run;
import io.runledger.api.RunError;
import io.runledger.api.RunEvent;
import io.runledger.api.RunStatus;
import io.runledger.api.TriggerRequest;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** {@code Runs.cancel}, invariant 7: stop is explicit and cooperative. */
public abstract class CancelContract extends ContractBase {

    @Test
    void aQueuedRunIsCancelledAtOnce() {
        String runId = trigger().runId();
        CancelResult result = ledger.runs().cancel(SCOPE, runId, "user pressed stop");
        assertThat(result.settled()).isTrue();
        Run run = result.run();
        assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(run.error().code()).isEqualTo("cancelled");
        assertThat(run.error().message()).isEqualTo("user pressed stop");
        assertThat(run.stopRequestedAt()).isNotNull();
        assertThat(run.finishedAt()).isNotNull();
        assertThat(lease("w", 5)).isEmpty();
        assertThat(ledger.runs().rebuildProjection(SCOPE, runId).changed()).isFalse();
    }

    @Test
    void aScheduledRunIsCancelledAtOnce() {
        String runId = trigger(TriggerRequest.builder().input(json()).delaySeconds(3600).build()).runId();
        assertThat(ledger.runs().cancel(SCOPE, runId, null).run().status()).isEqualTo(RunStatus.CANCELLED);
    }

    @Test
    void aRunningRunIsAskedToStopAndItsWorkerSettlesItCancelled() {
        String runId = trigger().runId();
        Lease lease = leaseOne("w");
        assertThat(ledger.workers().heartbeat(SCOPE, runId, lease.leaseToken()).stopRequested()).isFalse();

        CancelResult result = ledger.runs().cancel(SCOPE, runId, "enough");
        assertThat(result.settled()).isFalse();
        assertThat(result.run().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(result.run().stopRequestedAt()).isNotNull();
        // a second cancel changes nothing and writes no second event
        long seq = ledger.runs().get(SCOPE, runId).lastSeq();
        assertThat(ledger.runs().cancel(SCOPE, runId, "again").settled()).isFalse();
        assertThat(ledger.runs().get(SCOPE, runId).lastSeq()).isEqualTo(seq);

        assertThat(ledger.workers().heartbeat(SCOPE, runId, lease.leaseToken()).stopRequested()).isTrue();
        Run settled = ledger.workers().fail(SCOPE, runId, lease.leaseToken(),
                RunError.of("interrupted", "handler stopped"), true);
        assertThat(settled.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(settled.error().code()).isEqualTo("cancelled");
        assertThat(settled.error().message()).isEqualTo("enough");
        assertThat(ledger.runs().events(SCOPE, runId, 0, 100).items()).extracting(RunEvent::type)
                .containsExactly("run.accepted", "run.started", "run.stop_requested", "run.cancelled");
        assertThat(ledger.runs().rebuildProjection(SCOPE, runId).changed()).isFalse();
    }

    @Test
    void whenTheWorkerIsGoneTheSweeperSettlesTheStoppedRunCancelled() {
        shortLeases(3);
        String runId = trigger().runId();
        leaseOne("w");
        ledger.runs().cancel(SCOPE, runId, "stop it");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> maintenance().sweep().cancelled() == 1);
        Run run = ledger.runs().get(SCOPE, runId);
        assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(run.error().message()).isEqualTo("stop it");
        assertThat(ledger.runs().rebuildProjection(SCOPE, runId).changed()).isFalse();
    }

    @Test
    void cancellingASettledRunIsANoOp() {
        String runId = trigger().runId();
        Lease lease = leaseOne("w");
        Run done = ledger.workers().complete(SCOPE, runId, lease.leaseToken(), json().put("ok", 1));
        CancelResult result = ledger.runs().cancel(SCOPE, runId, "late");
        assertThat(result.settled()).isTrue();
        assertThat(result.run()).isEqualTo(done);
        assertThat(result.run().stopRequestedAt()).isNull();
    }

    @Test
    void cancellingAnUnknownRunIsNotFound() {
        assertThatThrownBy(() -> ledger.runs().cancel(SCOPE, "run_00000000000000000000000000", null))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).isEqualTo("run_not_found"));
    }
}

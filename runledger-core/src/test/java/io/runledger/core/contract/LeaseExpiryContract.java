package io.runledger.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.api.Lease;
import io.runledger.api.Run;
import io.runledger.api.RunError;
import io.runledger.api.RunEvent;
import io.runledger.api.RunStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A lease nobody renews (invariant 8): the sweep pass puts the run back, fails it or cancels it, with exact events. */
public abstract class LeaseExpiryContract extends ContractBase {

    @Test
    void anExpiredLeaseGoesBackToTheQueueThenFailsWhenAttemptsRunOut() {
        shortLeases(2);
        String runId = trigger().runId();
        leaseOne("w1");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> maintenance().sweep().recovered() == 1);
        Run retried = ledger.runs().get(SCOPE, runId);
        assertThat(retried.status()).isEqualTo(RunStatus.ACCEPTED);
        assertThat(retried.attempt()).isEqualTo(2);

        Lease second = leaseOne("w2");
        assertThat(second.attempt()).isEqualTo(2);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> maintenance().sweep().failed() == 1);
        Run failed = ledger.runs().get(SCOPE, runId);
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo("lease_expired");
        assertThat(ledger.runs().events(SCOPE, runId, 0, 100).items()).extracting(RunEvent::type).containsExactly(
                "run.accepted", "run.started", "run.lease_expired", "run.retrying",
                "run.started", "run.lease_expired", "run.failed");
        assertThat(ledger.runs().rebuildProjection(SCOPE, runId).changed()).isFalse();
    }

    @Test
    void aRecoveryWritesTheLeaseExpiryThenTheOutcomeWithTheirExactPayloads() {
        shortLeases(2);
        String runId = trigger().runId();
        leaseOne("w1");
        ledger.runs().cancel(SCOPE, trigger().runId(), null); // another run, not leased: not swept
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> maintenance().sweep().recovered() == 1);
        String lost = "{\"code\": \"lease_expired\", \"message\": \"the lease of attempt 1 expired without a heartbeat\"}";
        List<RunEvent> events = ledger.runs().events(SCOPE, runId, 0, 100).items();
        assertThat(events).extracting(RunEvent::seq).containsExactly(1L, 2L, 3L, 4L);
        assertThat(events.get(2).type()).isEqualTo("run.lease_expired");
        assertThat(events.get(2).data()).isEqualTo(json("{\"attempt\": 1, \"workerId\": \"w1\"}"));
        assertThat(events.get(3).type()).isEqualTo("run.retrying");
        assertThat(events.get(3).data()).isEqualTo(json("{\"attempt\": 2, \"delaySeconds\": 0.0, \"error\": " + lost + "}"));
        Run run = ledger.runs().get(SCOPE, runId);
        assertThat(run.lastSeq()).isEqualTo(4);
        assertThat(run.finishedAt()).isNull();
        assertThat(run.leaseExpiresAt()).isNull();
        assertThat(run.error()).isEqualTo(new RunError("lease_expired",
                "the lease of attempt 1 expired without a heartbeat", null));

        ledger.runs().cancel(SCOPE, runId, null);
        String other = trigger().runId();
        leaseOne("w2");
        ledger.runs().cancel(SCOPE, other, "bye");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> maintenance().sweep().cancelled() == 1);
        List<RunEvent> stopped = ledger.runs().events(SCOPE, other, 0, 100).items();
        assertThat(stopped).extracting(RunEvent::type).containsExactly("run.accepted", "run.started",
                "run.stop_requested", "run.lease_expired", "run.cancelled");
        assertThat(stopped.get(4).data()).isEqualTo(json(
                "{\"reason\": \"bye\", \"error\": {\"code\": \"cancelled\", \"message\": \"bye\"}}"));
        Run cancelled = ledger.runs().get(SCOPE, other);
        assertThat(cancelled.lastSeq()).isEqualTo(5);
        assertThat(cancelled.finishedAt()).isNotNull();
        assertThat(ledger.runs().rebuildProjection(SCOPE, other).changed()).isFalse();
    }

    @Test
    void aHeartbeatKeepsTheLeaseAlive() {
        shortLeases(2);
        String runId = trigger().runId();
        Lease lease = leaseOne("w1");
        // Time must pass on purpose: the lease TTL is 1 s, and for 1.8 s in all (the first beat at
        // 0.3 s, then 1.5 s more) a heartbeat every 300 ms, at a fraction of the TTL as a worker does,
        // must keep every sweep in between from recovering the run. The count never goes back down,
        // so one recovery fails the wait (and a lost lease fails the next beat).
        AtomicInteger swept = new AtomicInteger();
        Awaitility.await().pollDelay(Duration.ofMillis(300)).pollInterval(Duration.ofMillis(300))
                .during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(5)).until(() -> {
                    ledger.workers().heartbeat(SCOPE, runId, lease.leaseToken());
                    return swept.addAndGet(maintenance().sweep().total()) == 0;
                });
        assertThat(ledger.runs().get(SCOPE, runId).status()).isEqualTo(RunStatus.RUNNING);
    }
}

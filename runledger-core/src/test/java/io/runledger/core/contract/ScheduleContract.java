package io.runledger.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.api.Lease;
import io.runledger.api.Receipt;
import io.runledger.api.Run;
import io.runledger.api.RunEvent;
import io.runledger.api.RunStatus;
import io.runledger.api.TriggerRequest;
import java.time.Duration;
import java.time.Instant;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Delayed runs ({@code runAt} / {@code delaySeconds}) released by the queue pass, and TTL expiry of runs never started. */
public abstract class ScheduleContract extends ContractBase {

    @Test
    void aDelayedRunWaitsScheduledUntilItsTimeThenJoinsTheQueue() {
        Receipt receipt = trigger(TriggerRequest.builder().input(json()).delaySeconds(1).build());
        assertThat(receipt.status()).isEqualTo(RunStatus.SCHEDULED);
        assertThat(lease("w", 5)).isEmpty();
        assertThat(maintenance().queue().promoted()).isZero();

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> maintenance().queue().promoted() == 1);
        Lease lease = leaseOne("w");
        assertThat(lease.runId()).isEqualTo(receipt.runId());
        assertThat(ledger.runs().events(SCOPE, receipt.runId(), 0, 10).items()).extracting(RunEvent::type)
                .containsExactly("run.accepted", "run.scheduled", "run.resumed", "run.started");
        assertThat(ledger.runs().rebuildProjection(SCOPE, receipt.runId()).changed()).isFalse();
    }

    @Test
    void aRunAtInThePastIsQueuedAtOnce() {
        Instant past = Instant.parse("2020-01-01T00:00:00Z");
        Receipt receipt = trigger(TriggerRequest.builder().input(json()).runAt(past).build());
        assertThat(receipt.status()).isEqualTo(RunStatus.ACCEPTED);
        assertThat(ledger.runs().get(SCOPE, receipt.runId()).runAt()).isEqualTo(past);
        assertThat(leaseOne("w").runId()).isEqualTo(receipt.runId());
    }

    @Test
    void aQueuedRunThatOutlivesItsTtlExpiresButAStartedOneDoesNot() {
        String stale = trigger(TriggerRequest.builder().input(json()).ttlSeconds(1).build()).runId();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> maintenance().queue().expired() == 1);
        Run run = ledger.runs().get(SCOPE, stale);
        assertThat(run.status()).isEqualTo(RunStatus.EXPIRED);
        assertThat(run.error().code()).isEqualTo("expired");
        assertThat(lease("w", 5)).isEmpty();
        assertThat(ledger.runs().rebuildProjection(SCOPE, stale).changed()).isFalse();

        String started = trigger(TriggerRequest.builder().input(json()).ttlSeconds(1).build()).runId();
        Lease lease = leaseOne("w");
        Awaitility.await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .until(() -> maintenance().queue().expired() == 0);
        ledger.workers().complete(SCOPE, started, lease.leaseToken(), json());
        assertThat(ledger.runs().get(SCOPE, started).status()).isEqualTo(RunStatus.SUCCEEDED);
    }
}

package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.api.Lease;
import io.runledger.api.LeaseRequest;
import io.runledger.api.RetryPolicy;
import io.runledger.api.RunError;
import io.runledger.api.RunEvent;
import io.runledger.api.RunStatus;
import io.runledger.api.ServiceSpec;
import io.runledger.api.Timestamps;
import io.runledger.api.TriggerRequest;
import io.runledger.core.internal.store.Json;
import io.runledger.core.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retries back off in real time, as the background loops run them: a worker failing every
 * attempt of a service with {@code initialDelaySeconds 1, factor 2} is handed the run again
 * about 1, 2 and 4 s later, and the ledger says so; a lease recovery backs off the same way.
 */
class BackoffTest {
    private static final String SCOPE = "acme";
    private static final Duration QUEUE_INTERVAL = Duration.ofSeconds(1);
    private RunLedger ledger;

    @BeforeEach
    void open() {
        TestDatabase.truncate();
        ledger = TestDatabase.ledgerBuilder().backgroundLoops(true).queueInterval(QUEUE_INTERVAL)
                .sweepInterval(Duration.ofMillis(200)).build();
        ledger.admin().scopePut(SCOPE);
        ledger.admin().servicePut(SCOPE, "flaky", new ServiceSpec(4, 30, null, null, null,
                new RetryPolicy(1.0, null, 2.0, null)));
        ledger.admin().servicePut(SCOPE, "lost", new ServiceSpec(3, 1, null, null, null,
                new RetryPolicy(1.0, null, 2.0, null)));
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    private Lease lease(String service) {
        List<Lease> leases = ledger.workers().lease(SCOPE, LeaseRequest.of("w", List.of(service), 1,
                Duration.ofSeconds(10)));
        assertThat(leases).hasSize(1);
        return leases.get(0);
    }

    @Test
    void retriesAreAboutOneTwoAndFourSecondsApart() {
        String runId = ledger.runs().trigger(SCOPE, "flaky", TriggerRequest.of(Json.MAPPER.nullNode())).runId();
        for (int attempt = 1; attempt <= 3; attempt++) {
            Lease lease = lease("flaky");
            assertThat(lease.attempt()).isEqualTo(attempt);
            ledger.workers().fail(SCOPE, runId, lease.leaseToken(), RunError.of("flaky", "try again"), true);
        }
        Lease last = lease("flaky");
        ledger.workers().complete(SCOPE, runId, last.leaseToken(), Json.MAPPER.nullNode());

        List<RunEvent> events = ledger.runs().events(SCOPE, runId, 0, 100).items();
        List<RunEvent> retries = events.stream().filter(e -> e.type().equals("run.retrying")).toList();
        List<Instant> starts = events.stream().filter(e -> e.type().equals("run.started"))
                .map(RunEvent::createdAt).toList();
        assertThat(retries).hasSize(3);
        assertThat(starts).hasSize(4);
        double[] expected = {1, 2, 4};
        for (int i = 0; i < 3; i++) {
            RunEvent retry = retries.get(i);
            double delay = retry.data().get("delaySeconds").asDouble();
            // the default jitter spreads each delay by up to 20% either way
            assertThat(delay).isBetween(expected[i] * 0.8, expected[i] * 1.2);
            Instant due = Timestamps.parse(retry.data().get("runAt").asText());
            assertThat(Duration.between(retry.createdAt(), due).toNanos() / 1e9).isCloseTo(delay,
                    org.assertj.core.data.Offset.offset(1e-5));
            // leased again once due: not before, and soon after (the instance's due timer runs the
            // queue pass then, without waiting for the periodic one)
            assertThat(starts.get(i + 1)).isAfterOrEqualTo(due).isBefore(due.plusMillis(700));
        }
        assertThat(events.stream().map(RunEvent::type).filter(t -> t.equals("run.resumed"))).hasSize(3);
        assertThat(ledger.runs().get(SCOPE, runId).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(ledger.runs().rebuildProjection(SCOPE, runId).changed()).isFalse();
    }

    @Test
    void aLeaseRecoveryBacksOffToo() {
        String runId = ledger.runs().trigger(SCOPE, "lost", TriggerRequest.of(Json.MAPPER.nullNode())).runId();
        lease("lost"); // and never heartbeat: the sweeper recovers it after the 1 s lease
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> ledger.runs().get(SCOPE, runId).attempt() == 2);
        List<RunEvent> events = ledger.runs().events(SCOPE, runId, 0, 100).items();
        assertThat(events).extracting(RunEvent::type).startsWith("run.accepted", "run.started", "run.lease_expired",
                "run.retrying");
        RunEvent retry = events.get(3);
        assertThat(retry.data().get("delaySeconds").asDouble()).isBetween(0.8, 1.2);
        Instant due = Timestamps.parse(retry.data().get("runAt").asText());
        Lease second = lease("lost");
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(ledger.runs().events(SCOPE, runId, 0, 100).items().stream()
                .filter(e -> e.type().equals("run.started")).toList().get(1).createdAt()).isAfterOrEqualTo(due);
    }
}

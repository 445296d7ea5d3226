package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.Lease;
import io.runledger.api.LeaseRequest;
import io.runledger.api.Receipt;
import io.runledger.api.RunStatus;
import io.runledger.api.ServiceSpec;
import io.runledger.api.TriggerRequest;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A trigger hands its run to a lease poll of the same instance that is waiting for its
 * service: the trigger's own statement writes the run leased to that poll's worker, and the
 * poll answers with it once the trigger committed. Where a lease claim would not take the
 * run (a paused service, a service with a concurrency limit) the run is queued as before.
 */
class HandOffTest extends LedgerTestBase {
    @BeforeEach
    void cappedService() {
        ledger.admin().servicePut(SCOPE, "capped", new ServiceSpec(3, 30, null, 5, null));
    }

    @Test
    void aWaitingPollGetsTheRunFromTheTriggersOwnTransaction() throws Exception {
        CompletableFuture<List<Lease>> poll = waitingPoll("w1", SERVICE);
        Receipt receipt = ledger.runs().trigger(SCOPE, SERVICE, TriggerRequest.of(input(1)));

        // The receipt is honest: the run was running when the trigger committed.
        assertThat(receipt.status()).isEqualTo(RunStatus.RUNNING);
        List<Lease> leases = poll.get(10, TimeUnit.SECONDS);
        assertThat(leases).singleElement().satisfies(l -> {
            assertThat(l.runId()).isEqualTo(receipt.runId());
            assertThat(l.attempt()).isEqualTo(1);
            assertThat(l.input()).isEqualTo(input(1));
            assertThat(l.leaseExpiresAt()).isNotNull();
        });
        assertThat(TestDatabase.count("select count(*) from runs where status = 'running' and worker_id = 'w1'"
                + " and started_at is not null and lease_expires_at > now() and last_seq = 2")).isEqualTo(1);
        assertThat(TestDatabase.count("select count(*) from run_events where seq = 2 and type = 'run.started'"
                + " and data = '{\"attempt\": 1, \"workerId\": \"w1\"}'")).isEqualTo(1);

        // The lease is fenced like any other: its token completes the run, once.
        Lease lease = leases.get(0);
        assertThat(ledger.workers().complete(SCOPE, lease.runId(), lease.leaseToken(), input(2)).status())
                .isEqualTo(RunStatus.SUCCEEDED);
        assertThat(ledger.runs().events(SCOPE, receipt.runId(), 0, 10).items().stream().map(e -> e.type()).toList())
                .containsExactly("run.accepted", "run.started", "run.succeeded");
    }

    @Test
    void aPausedServiceIsNotHandedAndItsPollKeepsWaitingUntilResumed() throws Exception {
        ledger.admin().servicePause(SCOPE, SERVICE);
        CompletableFuture<List<Lease>> poll = waitingPoll("w1", SERVICE);

        Receipt receipt = ledger.runs().trigger(SCOPE, SERVICE, TriggerRequest.of(input(1)));

        assertThat(receipt.status()).isEqualTo(RunStatus.ACCEPTED);
        // released, woken, nothing to claim: the poll offers itself again
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.pollsWaiting() == 1);
        assertThat(poll).isNotDone();
        ledger.admin().serviceResume(SCOPE, SERVICE);
        assertThat(poll.get(10, TimeUnit.SECONDS)).singleElement()
                .satisfies(l -> assertThat(l.runId()).isEqualTo(receipt.runId()));
    }

    @Test
    void aServiceWithAConcurrencyLimitIsLeasedByTheClaimNotHanded() throws Exception {
        CompletableFuture<List<Lease>> poll = waitingPoll("w1", "capped");

        Receipt receipt = ledger.runs().trigger(SCOPE, "capped", TriggerRequest.of(input(1)));

        assertThat(receipt.status()).isEqualTo(RunStatus.ACCEPTED);
        assertThat(poll.get(10, TimeUnit.SECONDS)).singleElement()
                .satisfies(l -> assertThat(l.runId()).isEqualTo(receipt.runId()));
    }

    @Test
    void aTriggerTheDatabaseRefusesLeavesThePollWaitingForTheNextOne() throws Exception {
        CompletableFuture<List<Lease>> poll = waitingPoll("w1", SERVICE);
        // U+0000 passes the engine's checks but not jsonb: the statement fails after the
        // trigger took the poll's offer.
        JsonNode bad = JsonNodeFactory.instance.objectNode().put("text", "nul\u0000");
        assertThatThrownBy(() -> ledger.runs().trigger(SCOPE, SERVICE, TriggerRequest.of(bad)))
                .isInstanceOf(InvalidArgumentException.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.pollsWaiting() == 1);
        assertThat(poll).isNotDone();

        Receipt next = ledger.runs().trigger(SCOPE, SERVICE, TriggerRequest.of(input(2)));
        assertThat(next.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(poll.get(10, TimeUnit.SECONDS)).singleElement()
                .satisfies(l -> assertThat(l.runId()).isEqualTo(next.runId()));
        assertThat(TestDatabase.count("select count(*) from runs")).isEqualTo(1);
    }

    @Test
    void eachWaitingPollGetsItsOwnRunAndTheRestAreQueued() throws Exception {
        CompletableFuture<List<Lease>> first = waitingPoll("w1", SERVICE);
        CompletableFuture<List<Lease>> second = waitingPoll("w2", SERVICE);
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.pollsWaiting() == 2);

        List<Receipt> receipts = List.of(
                ledger.runs().trigger(SCOPE, SERVICE, TriggerRequest.of(input(1))),
                ledger.runs().trigger(SCOPE, SERVICE, TriggerRequest.of(input(2))),
                ledger.runs().trigger(SCOPE, SERVICE, TriggerRequest.of(input(3))));

        // The poll that waited longest is served first.
        assertThat(receipts.stream().map(Receipt::status))
                .containsExactly(RunStatus.RUNNING, RunStatus.RUNNING, RunStatus.ACCEPTED);
        assertThat(first.get(10, TimeUnit.SECONDS)).singleElement()
                .satisfies(l -> assertThat(l.runId()).isEqualTo(receipts.get(0).runId()));
        assertThat(second.get(10, TimeUnit.SECONDS)).singleElement()
                .satisfies(l -> assertThat(l.runId()).isEqualTo(receipts.get(1).runId()));
        assertThat(TestDatabase.count("select count(*) from runs where worker_id = 'w1'")).isEqualTo(1);
        assertThat(TestDatabase.count("select count(*) from runs where worker_id = 'w2'")).isEqualTo(1);
        assertThat(ledger.pollsWaiting()).isZero();
    }

    /** A poll of {@code workerId} that is waiting, with its offer open, when this returns. */
    private CompletableFuture<List<Lease>> waitingPoll(String workerId, String service) {
        int before = ledger.pollsWaiting();
        CompletableFuture<List<Lease>> poll = CompletableFuture.supplyAsync(() -> ledger.workers().lease(SCOPE,
                LeaseRequest.of(workerId, List.of(service), 5, Duration.ofSeconds(30))), r -> Thread.ofVirtual().start(r));
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.pollsWaiting() == before + 1);
        return poll;
    }

    private static JsonNode input(int n) {
        return JsonNodeFactory.instance.objectNode().put("n", n);
    }
}

package io.runledger.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.api.KeyCancelResult;
import io.runledger.api.Lease;
import io.runledger.api.Ledger;
import io.runledger.api.Receipt;
import io.runledger.api.Run;
import io.runledger.api.RunEvent;
import io.runledger.api.RunStatus;
import io.runledger.api.ServiceSpec;
import io.runledger.api.TriggerRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code Runs.cancelByKey}: a stop by idempotency key cancels the key's run, or waits on the
 * key for the run to come, which then registers directly cancelled.
 */
public abstract class StopBeforeCreateContract extends ContractBase {

    private TriggerRequest keyed(String key) {
        return TriggerRequest.builder().input(json().put("n", 1)).idempotencyKey(key).build();
    }

    private List<String> eventTypes(String runId) {
        return ledger.runs().events(SCOPE, runId, 0, 100).items().stream().map(RunEvent::type).toList();
    }

    @Test
    void aStopBeforeTheTriggerIsRecordedAndTheRunRegistersCancelled() {
        KeyCancelResult stop = ledger.runs().cancelByKey(SCOPE, SERVICE, "order-1", "user pressed stop");
        assertThat(stop.recorded()).isTrue();
        assertThat(stop.run()).isNull();
        assertThat(stop.idempotencyKey()).isEqualTo("order-1");
        assertThat(stop.stopRecordedAt()).isNotNull();
        assertThat(count("select count(*) from runs")).isZero();

        Receipt receipt = trigger(keyed("order-1"));
        assertThat(receipt.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(receipt.replayed()).isFalse();
        Run run = ledger.runs().get(SCOPE, receipt.runId());
        assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(run.error().message()).isEqualTo("user pressed stop");
        assertThat(run.startedAt()).isNull();
        assertThat(run.finishedAt()).isNotNull();
        assertThat(eventTypes(run.runId())).containsExactly("run.accepted", "run.cancelled");
        assertThat(ledger.runs().events(SCOPE, run.runId(), 1, 1).items().getFirst().data().path("reason").asText())
                .isEqualTo("user pressed stop");
        assertThat(lease("w", 5)).isEmpty();
        assertThat(ledger.runs().rebuildProjection(SCOPE, run.runId()).changed()).isFalse();

        // the same trigger again is answered by the receipt, as any idempotent repeat
        Receipt again = trigger(keyed("order-1"));
        assertThat(again.replayed()).isTrue();
        assertThat(again.runId()).isEqualTo(receipt.runId());
        assertThat(again.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(count("select count(*) from runs")).isEqualTo(1);
    }

    @Test
    void aStopRepeatedBeforeTheTriggerKeepsTheFirstStop() {
        KeyCancelResult first = ledger.runs().cancelByKey(SCOPE, SERVICE, "k", "first");
        KeyCancelResult second = ledger.runs().cancelByKey(SCOPE, SERVICE, "k", "second");
        assertThat(second.recorded()).isTrue();
        assertThat(second.stopRecordedAt()).isEqualTo(first.stopRecordedAt());
        Run run = ledger.runs().get(SCOPE, trigger(keyed("k")).runId());
        assertThat(run.error().message()).isEqualTo("first");
    }

    @Test
    void aStopAfterTheTriggerCancelsTheQueuedRun() {
        Receipt receipt = trigger(keyed("order-2"));
        assertThat(receipt.status()).isEqualTo(RunStatus.ACCEPTED);
        KeyCancelResult stop = ledger.runs().cancelByKey(SCOPE, SERVICE, "order-2", "changed my mind");
        assertThat(stop.recorded()).isFalse();
        assertThat(stop.settled()).isTrue();
        assertThat(stop.run().runId()).isEqualTo(receipt.runId());
        assertThat(stop.run().status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(eventTypes(receipt.runId())).containsExactly("run.accepted", "run.cancelled");
        assertThat(lease("w", 5)).isEmpty();
        // a stop of a settled run changes nothing
        KeyCancelResult again = ledger.runs().cancelByKey(SCOPE, SERVICE, "order-2", null);
        assertThat(again.settled()).isTrue();
        assertThat(eventTypes(receipt.runId())).hasSize(2);
    }

    @Test
    void aStopAfterTheLeaseAsksTheWorkerToStop() {
        String runId = trigger(keyed("order-3")).runId();
        Lease lease = leaseOne("w");
        KeyCancelResult stop = ledger.runs().cancelByKey(SCOPE, SERVICE, "order-3", "enough");
        assertThat(stop.settled()).isFalse();
        assertThat(stop.run().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(stop.run().stopRequestedAt()).isNotNull();
        assertThat(ledger.workers().heartbeat(SCOPE, runId, lease.leaseToken()).stopRequested()).isTrue();
    }

    @Test
    void aStopOnOneKeyLeavesOtherKeysAlone() {
        ledger.runs().cancelByKey(SCOPE, SERVICE, "stopped", null);
        Receipt other = trigger(keyed("other"));
        assertThat(other.status()).isEqualTo(RunStatus.ACCEPTED);
        Receipt plain = trigger();
        assertThat(plain.status()).isEqualTo(RunStatus.ACCEPTED);
        assertThat(lease("w", 5)).extracting(Lease::runId).containsExactlyInAnyOrder(other.runId(), plain.runId());
    }

    @Test
    void aStopHoldsForItsServiceAndScopeOnly() {
        ledger.admin().servicePut(SCOPE, "other", new ServiceSpec(3, 30, null, null, null, IMMEDIATE));
        Ledger beta = target.open("beta");
        beta.admin().servicePut("beta", SERVICE, new ServiceSpec(3, 30, null, null, null, IMMEDIATE));

        ledger.runs().cancelByKey(SCOPE, SERVICE, "shared", "acme stop");
        assertThat(ledger.runs().trigger(SCOPE, "other", keyed("shared")).status()).isEqualTo(RunStatus.ACCEPTED);
        assertThat(beta.runs().trigger("beta", SERVICE, keyed("shared")).status()).isEqualTo(RunStatus.ACCEPTED);
        assertThat(trigger(keyed("shared")).status()).isEqualTo(RunStatus.CANCELLED);

        // a stop in another scope does not reach this scope's run of the same key
        String mine = trigger(keyed("mine")).runId();
        assertThat(beta.runs().cancelByKey("beta", SERVICE, "mine", null).recorded()).isTrue();
        assertThat(ledger.runs().get(SCOPE, mine).status()).isEqualTo(RunStatus.ACCEPTED);
    }

    @Test
    void aDelayedTriggerOrOneWithAConcurrencyKeyRegistersCancelledToo() {
        ledger.runs().cancelByKey(SCOPE, SERVICE, "later", "no");
        Receipt delayed = trigger(TriggerRequest.builder().input(json()).idempotencyKey("later").delaySeconds(3600)
                .build());
        assertThat(delayed.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(eventTypes(delayed.runId())).containsExactly("run.accepted", "run.cancelled");

        ledger.runs().cancelByKey(SCOPE, SERVICE, "keyed", "no");
        Receipt locked = trigger(TriggerRequest.builder().input(json()).idempotencyKey("keyed").concurrencyKey("acct")
                .build());
        assertThat(locked.status()).isEqualTo(RunStatus.CANCELLED);
        // the cancelled run does not hold the concurrency key
        Receipt next = trigger(TriggerRequest.builder().input(json()).concurrencyKey("acct").build());
        assertThat(next.status()).isEqualTo(RunStatus.ACCEPTED);
        assertThat(leaseOne("w").runId()).isEqualTo(next.runId());

        // with the key held by another run, a stopped trigger is no conflict: it never holds it
        ledger.runs().cancelByKey(SCOPE, SERVICE, "held", "no");
        Receipt stopped = trigger(TriggerRequest.builder().input(json()).idempotencyKey("held").concurrencyKey("acct")
                .build());
        assertThat(stopped.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(ledger.runs().get(SCOPE, next.runId()).status()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void aBatchItemWithAStoppedKeyRegistersCancelled() {
        ledger.runs().cancelByKey(SCOPE, SERVICE, "item-2", "not this one");
        List<Receipt> receipts = ledger.batches().register(SCOPE, SERVICE, List.of(keyed("item-1"), keyed("item-2"),
                TriggerRequest.of(json()))).receipts();
        assertThat(receipts).extracting(Receipt::status)
                .containsExactly(RunStatus.ACCEPTED, RunStatus.CANCELLED, RunStatus.ACCEPTED);
        assertThat(eventTypes(receipts.get(1).runId())).containsExactly("run.accepted", "run.cancelled");
        assertThat(lease("w", 5)).extracting(Lease::runId)
                .containsExactlyInAnyOrder(receipts.get(0).runId(), receipts.get(2).runId());
    }

    @Test
    void manyConcurrentTriggersWithStoppedKeysAllRegisterCancelled() throws Exception {
        for (int i = 0; i < 20; i++) {
            ledger.runs().cancelByKey(SCOPE, SERVICE, "burst-" + i, null);
        }
        // concurrent triggers are written together (a group commit): each still sees its stop
        List<Receipt> receipts = race(40, n -> trigger(keyed("burst-" + n)));
        for (int n = 0; n < 40; n++) {
            assertThat(receipts.get(n).status()).as("trigger %d", n)
                    .isEqualTo(n < 20 ? RunStatus.CANCELLED : RunStatus.ACCEPTED);
        }
        assertThat(lease("w", 100)).hasSize(20);
    }

    @Test
    void aStopNeedsAKeyAndAKnownService() {
        refused("invalid_argument", () -> ledger.runs().cancelByKey(SCOPE, SERVICE, "", null));
        refused("invalid_argument", () -> ledger.runs().cancelByKey(SCOPE, SERVICE, null, null));
        refused("invalid_argument", () -> ledger.runs().cancelByKey(SCOPE, SERVICE, "k".repeat(256), null));
        refused("service_not_found", () -> ledger.runs().cancelByKey(SCOPE, "nope", "k", null));
    }

    @Test
    void aPreflightTreatsAStoppedKeyAsFree() {
        ledger.runs().cancelByKey(SCOPE, SERVICE, "checked", null);
        assertThat(ledger.runs().validate(SCOPE, SERVICE, keyed("checked")).valid()).isTrue();
    }
}

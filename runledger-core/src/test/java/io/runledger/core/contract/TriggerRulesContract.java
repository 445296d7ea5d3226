package io.runledger.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.ConcurrencyConflictException;
import io.runledger.api.IdempotencyKeyReusedException;
import io.runledger.api.InvalidInputException;
import io.runledger.api.Lease;
import io.runledger.api.OnConflict;
import io.runledger.api.Receipt;
import io.runledger.api.RunError;
import io.runledger.api.RunStatus;
import io.runledger.api.ServiceSpec;
import io.runledger.api.TriggerRequest;
import io.runledger.api.ValidationReport;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a trigger accepts and refuses: bad input (writing nothing), idempotency keys
 * (invariant 5), concurrency keys (invariant 4), and the preflight {@code Runs.validate}.
 */
public abstract class TriggerRulesContract extends ContractBase {

    @Test
    void triggerRefusals() {
        refused("scope_not_found", () -> ledger.runs().trigger("ghost", SERVICE, TriggerRequest.of(json())));
        refused("service_not_found", () -> ledger.runs().trigger(SCOPE, "ghost", TriggerRequest.of(json())));
        refused("invalid_name", () -> ledger.runs().trigger("Bad Scope", SERVICE, TriggerRequest.of(json())));
        refused("invalid_name", () -> ledger.runs().trigger(SCOPE, "-bad", TriggerRequest.of(json())));
        ObjectNode huge = json().put("blob", "x".repeat(1024 * 1024 + 10));
        refused("payload_too_large", () -> trigger(TriggerRequest.of(huge)));
        refused("invalid_argument", () -> trigger(TriggerRequest.builder().input(json()).delaySeconds(-1).build()));
        refused("invalid_argument", () -> trigger(TriggerRequest.builder().input(json()).delaySeconds(5)
                .runAt(Instant.now()).build()));
        refused("invalid_argument", () -> trigger(TriggerRequest.builder().input(json()).maxAttempts(0).build()));
        refused("invalid_argument", () -> trigger(TriggerRequest.builder().input(json()).ttlSeconds(0).build()));
        refused("invalid_argument", () -> trigger(TriggerRequest.builder().input(json()).idempotencyKey("").build()));
        refused("invalid_argument", () -> trigger(TriggerRequest.builder().input(json()).metadata(json("[1]")).build()));
        refused("invalid_argument", () -> trigger(TriggerRequest.builder().input(json()).parentRunId("run_missing").build()));
        refused("invalid_argument", () -> trigger(TriggerRequest.builder().input(json())
                .tags(Collections.nCopies(33, "t")).build()));
        refused("invalid_argument", () -> trigger(TriggerRequest.builder().input(json())
                .onConflict(OnConflict.ENQUEUE).build()));
    }

    @Test
    void aTriggerRefusedByTheInputSchemaWritesNothing() {
        ledger.admin().servicePut(SCOPE, "typed", new ServiceSpec(1, 30,
                json("{\"type\":\"object\",\"required\":[\"q\"],\"properties\":{\"q\":{\"type\":\"string\"}}}"),
                null, null));
        refused("invalid_input", () -> ledger.runs().trigger(SCOPE, "typed",
                TriggerRequest.builder().input(json("{\"q\": 5}")).idempotencyKey("k1").build()));
        assertThatThrownBy(() -> ledger.runs().trigger(SCOPE, "typed", TriggerRequest.of(json())))
                .isInstanceOf(InvalidInputException.class);
        assertThat(count("select count(*) from runs")).isZero();

        Receipt ok = ledger.runs().trigger(SCOPE, "typed",
                TriggerRequest.builder().input(json("{\"q\": \"hi\"}")).idempotencyKey("k1").build());
        assertThat(ok.replayed()).isFalse();
        assertThat(count("select count(*) from runs")).isEqualTo(1);
    }

    private static TriggerRequest keyed(String key, int n) {
        return TriggerRequest.builder().input(json().put("n", n)).idempotencyKey(key).tags(List.of("a", "b")).build();
    }

    @Test
    void theSameRequestReplaysTheOriginalReceipt() {
        Receipt original = trigger(keyed("order-7", 1));
        Receipt replay = trigger(keyed("order-7", 1));
        assertThat(original.replayed()).isFalse();
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.runId()).isEqualTo(original.runId());
        assertThat(replay.commandId()).isEqualTo("order-7").isEqualTo(original.commandId());
        assertThat(replay.createdAt()).isEqualTo(original.createdAt());
        assertThat(count("select count(*) from runs")).isEqualTo(1);
        // the key is per service
        ledger.admin().servicePut(SCOPE, "other", null);
        assertThat(ledger.runs().trigger(SCOPE, "other", keyed("order-7", 1)).replayed()).isFalse();
    }

    @Test
    void aDifferentRequestWithTheSameKeyIsRefused() {
        Receipt original = trigger(keyed("order-8", 1));
        assertThatThrownBy(() -> trigger(keyed("order-8", 2)))
                .isInstanceOfSatisfying(IdempotencyKeyReusedException.class, e -> {
                    assertThat(e.code()).isEqualTo("idempotency_key_reused");
                    assertThat(e.details()).containsEntry("runId", original.runId());
                });
        assertThat(count("select count(*) from runs")).isEqualTo(1);
    }

    @Test
    void concurrentTriggersWithOneKeyRegisterOneRun() throws Exception {
        List<Receipt> receipts = race(12, n -> trigger(keyed("race", 1)));
        Set<String> runIds = new HashSet<>();
        receipts.forEach(r -> runIds.add(r.runId()));
        assertThat(runIds).hasSize(1);
        assertThat(receipts.stream().filter(r -> !r.replayed())).hasSize(1);
        assertThat(count("select count(*) from runs")).isEqualTo(1);
    }

    private Receipt trigger(String key, OnConflict mode, int n) {
        return trigger(TriggerRequest.builder().input(json().put("n", n)).concurrencyKey(key).onConflict(mode).build());
    }

    @Test
    void rejectIsTheDefaultAndWritesNothing() {
        Receipt holder = trigger(TriggerRequest.builder().input(json()).concurrencyKey("chat-1").build());
        long runs = count("select count(*) from runs");
        assertThatThrownBy(() -> trigger(TriggerRequest.builder().input(json()).concurrencyKey("chat-1")
                .idempotencyKey("idem-1").build()))
                .isInstanceOfSatisfying(ConcurrencyConflictException.class, e -> {
                    assertThat(e.code()).isEqualTo("concurrency_conflict");
                    assertThat(e.activeRunId()).isEqualTo(holder.runId());
                    assertThat(e.details()).containsEntry("activeRunId", holder.runId());
                });
        assertThat(count("select count(*) from runs")).isEqualTo(runs);
        assertThat(count("select count(*) from idempotency_keys")).isZero();
        // another key is independent
        trigger(TriggerRequest.builder().input(json()).concurrencyKey("chat-2").build());
    }

    @Test
    void concurrentRejectTriggersAdmitExactlyOne() throws Exception {
        List<Boolean> admitted = race(12, n -> {
            try {
                trigger("hot", OnConflict.REJECT, n);
                return true;
            } catch (ConcurrencyConflictException e) {
                return false;
            }
        });
        assertThat(admitted.stream().filter(a -> a)).hasSize(1);
        assertThat(count("select count(*) from runs where concurrency_key = 'hot'")).isEqualTo(1);
    }

    @Test
    void enqueuedRunsTakeTheKeyInTriggerOrder() {
        Receipt first = trigger("k", OnConflict.ENQUEUE, 1);
        Receipt second = trigger("k", OnConflict.ENQUEUE, 2);
        Receipt third = trigger("k", OnConflict.ENQUEUE, 3);
        assertThat(second.status()).isEqualTo(RunStatus.ACCEPTED);

        // only the holder is leasable
        List<Lease> leases = lease("w", 10);
        assertThat(leases).extracting(Lease::runId).containsExactly(first.runId());
        ledger.workers().complete(SCOPE, first.runId(), leases.get(0).leaseToken(), json());

        leases = lease("w", 10);
        assertThat(leases).extracting(Lease::runId).containsExactly(second.runId());
        ledger.workers().fail(SCOPE, second.runId(), leases.get(0).leaseToken(), RunError.of("x", "y"), false);

        leases = lease("w", 10);
        assertThat(leases).extracting(Lease::runId).containsExactly(third.runId());
        // a retry keeps the key: nobody else may start meanwhile
        Receipt fourth = trigger("k", OnConflict.ENQUEUE, 4);
        ledger.workers().fail(SCOPE, third.runId(), leases.get(0).leaseToken(), RunError.of("x", "y"), true);
        leases = lease("w", 10);
        assertThat(leases).extracting(Lease::runId).containsExactly(third.runId());
        ledger.workers().complete(SCOPE, third.runId(), leases.get(0).leaseToken(), json());
        assertThat(lease("w", 10)).extracting(Lease::runId).containsExactly(fourth.runId());
    }

    @Test
    void cancellingAWaiterOrTheHolderKeepsTheQueueMoving() {
        Receipt holder = trigger("k", OnConflict.ENQUEUE, 1);
        Receipt waiter1 = trigger("k", OnConflict.ENQUEUE, 2);
        Receipt waiter2 = trigger("k", OnConflict.ENQUEUE, 3);
        ledger.runs().cancel(SCOPE, waiter1.runId(), "not needed");
        ledger.runs().cancel(SCOPE, holder.runId(), "not needed");
        assertThat(lease("w", 10)).extracting(Lease::runId).containsExactly(waiter2.runId());
    }

    @Test
    void interruptStopsTheHolderAndTheNewRunTakesOver() {
        Receipt holder = trigger("k", OnConflict.REJECT, 1);
        Lease lease = leaseOne("w");
        Receipt newer = trigger("k", OnConflict.INTERRUPT, 2);
        assertThat(ledger.runs().get(SCOPE, holder.runId()).stopRequestedAt()).isNotNull();
        assertThat(ledger.workers().heartbeat(SCOPE, holder.runId(), lease.leaseToken()).stopRequested()).isTrue();
        assertThat(lease("w", 10)).isEmpty();
        // the worker honours the stop
        ledger.workers().fail(SCOPE, holder.runId(), lease.leaseToken(), RunError.of("stopped", "stopped"), false);
        assertThat(ledger.runs().get(SCOPE, holder.runId()).status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(lease("w", 10)).extracting(Lease::runId).containsExactly(newer.runId());
    }

    @Test
    void interruptingAQueuedHolderCancelsItAtOnce() {
        Receipt holder = trigger("k", OnConflict.REJECT, 1);
        Receipt newer = trigger("k", OnConflict.INTERRUPT, 2);
        assertThat(ledger.runs().get(SCOPE, holder.runId()).status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(lease("w", 10)).extracting(Lease::runId).containsExactly(newer.runId());
    }

    @Test
    void preflightReportsWhatATriggerWouldSayAndWritesNothing() {
        ledger.admin().servicePut(SCOPE, "typed", new ServiceSpec(1, 30,
                json("{\"type\": \"object\", \"required\": [\"q\"]}"), null, null));
        trigger(TriggerRequest.builder().input(json()).concurrencyKey("k").idempotencyKey("i1").build());
        long runs = count("select count(*) from runs");

        assertThat(ledger.runs().validate(SCOPE, "typed", TriggerRequest.of(json().put("q", "x"))).valid()).isTrue();
        ValidationReport bad = ledger.runs().validate(SCOPE, "typed", TriggerRequest.of(json()));
        assertThat(bad.valid()).isFalse();
        assertThat(codes(bad)).containsExactly("invalid_input");
        assertThat(codes(ledger.runs().validate(SCOPE, SERVICE,
                TriggerRequest.builder().input(json()).concurrencyKey("k").build()))).containsExactly("concurrency_conflict");
        assertThat(codes(ledger.runs().validate(SCOPE, SERVICE, TriggerRequest.builder().input(json().put("other", 1))
                .idempotencyKey("i1").build()))).contains("idempotency_key_reused");
        assertThat(codes(ledger.runs().validate(SCOPE, "nope", TriggerRequest.of(json()))))
                .containsExactly("service_not_found");
        assertThat(codes(ledger.runs().validate(SCOPE, SERVICE,
                TriggerRequest.builder().input(json()).ttlSeconds(-1).build()))).containsExactly("invalid_argument");
        assertThat(count("select count(*) from runs")).isEqualTo(runs);
    }

    @Test
    void preflightRunsTheTriggersChecksAndReportsEveryProblemItFinds() {
        ledger.admin().servicePut(SCOPE, "typed", new ServiceSpec(1, 30,
                json("{\"type\": \"object\", \"required\": [\"q\"]}"), null, null));
        trigger(TriggerRequest.builder().input(json()).concurrencyKey("k").build());
        ValidationReport report = ledger.runs().validate(SCOPE, "typed", TriggerRequest.builder().input(json())
                .ttlSeconds(-1).maxAttempts(0).parentRunId("run_missing").concurrencyKey("k").build());
        assertThat(report.valid()).isFalse();
        assertThat(codes(report)).containsExactly(
                "invalid_argument", "invalid_argument", "invalid_input", "invalid_argument", "concurrency_conflict");
        assertThat(report.problems().get(0).message()).contains("ttlSeconds");
        assertThat(report.problems().get(1).message()).contains("maxAttempts");
        assertThat(report.problems().get(3).message()).contains("run_missing");
    }

    @Test
    void aPreflightThatWouldBeAcceptedWritesNothingEither() {
        long runs = count("select count(*) from runs");
        long events = count("select count(*) from run_events");
        ValidationReport report = ledger.runs().validate(SCOPE, SERVICE, TriggerRequest.builder().input(json())
                .idempotencyKey("fresh").concurrencyKey("free").delaySeconds(60L).build());
        assertThat(report.valid()).as("%s", report).isTrue();
        assertThat(report.problems()).isEmpty();
        assertThat(count("select count(*) from idempotency_keys")).isZero();
        assertThat(count("select count(*) from runs")).isEqualTo(runs);
        assertThat(count("select count(*) from run_events")).isEqualTo(events);
        // a replay of an accepted trigger would be answered with its receipt: valid
        TriggerRequest keyed = TriggerRequest.builder().input(json()).idempotencyKey("k1").build();
        trigger(keyed);
        assertThat(ledger.runs().validate(SCOPE, SERVICE, keyed).valid()).isTrue();
        assertThat(count("select count(*) from idempotency_keys")).isEqualTo(1);
    }

    private static List<String> codes(ValidationReport report) {
        return report.problems().stream().map(ValidationReport.Problem::code).toList();
    }
}

package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.api.BatchInfo;
import io.runledger.api.BatchReceipt;
import io.runledger.api.Heartbeat;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.Lease;
import io.runledger.api.LeaseLostException;
import io.runledger.api.NotFoundException;
import io.runledger.api.RunAlreadySettledException;
import io.runledger.api.RunEvent;
import io.runledger.api.RunMessage;
import io.runledger.api.ServiceSpec;
import io.runledger.api.Signal;
import io.runledger.api.TriggerRequest;
import io.runledger.api.ValidationReport;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Signals (pending -> delivered -> acked), batches (all or nothing) and preflight validation. */
class SignalBatchValidateTest extends LedgerTestBase {

    @Test
    void aSignalIsAnEventAndAMessageDeliveredOnTheNextHeartbeatThenAcked() {
        String runId = trigger().runId();
        Lease lease = leaseOne("w");
        RunMessage sent = ledger.signals().send(SCOPE, runId, new Signal("user.message", json().put("text", "also do X"), "info"));
        assertThat(sent.status()).isEqualTo("pending");
        List<RunEvent> events = ledger.runs().events(SCOPE, runId, 0, 10).items();
        assertThat(events.get(events.size() - 1).type()).isEqualTo("run.signal");
        assertThat(events.get(events.size() - 1).data().get("messageId").asText()).isEqualTo(sent.messageId());

        Heartbeat hb = ledger.workers().heartbeat(SCOPE, runId, lease.leaseToken());
        assertThat(hb.messages()).hasSize(1);
        assertThat(hb.messages().get(0).messageId()).isEqualTo(sent.messageId());
        assertThat(hb.messages().get(0).data().get("text").asText()).isEqualTo("also do X");
        assertThat(ledger.workers().heartbeat(SCOPE, runId, lease.leaseToken()).messages()).isEmpty();
        assertThat(ledger.signals().messages(SCOPE, runId)).extracting(RunMessage::status).containsExactly("delivered");

        assertThatThrownBy(() -> ledger.workers().messageAck(SCOPE, runId, sent.messageId(), "stale"))
                .isInstanceOf(LeaseLostException.class);
        assertThat(ledger.workers().messageAck(SCOPE, runId, sent.messageId(), lease.leaseToken()).status()).isEqualTo("acked");
        assertThat(ledger.signals().messages(SCOPE, runId).get(0).ackedAt()).isNotNull();
        assertThat(ledger.runs().rebuildProjection(SCOPE, runId).changed()).isFalse();

        ledger.workers().complete(SCOPE, runId, lease.leaseToken(), json());
        assertThatThrownBy(() -> ledger.signals().send(SCOPE, runId, new Signal("late", json(), null)))
                .isInstanceOf(RunAlreadySettledException.class);
        assertThatThrownBy(() -> ledger.signals().send(SCOPE, "run_missing", new Signal("x", json(), null)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> ledger.signals().send(SCOPE, runId, new Signal("Bad Type", json(), null)))
                .isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void aThousandRunBatchIsRegisteredInOneTransaction() {
        List<TriggerRequest> items = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            items.add(TriggerRequest.builder().input(json().put("i", i)).idempotencyKey("item-" + i).build());
        }
        BatchReceipt receipt = ledger.batches().register(SCOPE, SERVICE, items);
        assertThat(receipt.receipts()).hasSize(1000);
        assertThat(TestDatabase.count("select count(*) from runs")).isEqualTo(1000);
        BatchInfo info = ledger.batches().get(SCOPE, receipt.batchId());
        assertThat(info.size()).isEqualTo(1000);
        assertThat(info.counts()).containsEntry("accepted", 1000);
        assertThat(info.runIds()).hasSize(1000);
        // per-item idempotency keys are honoured: the same batch again replays every item
        BatchReceipt again = ledger.batches().register(SCOPE, SERVICE, items);
        assertThat(again.receipts()).allMatch(r -> r.replayed());
        assertThat(TestDatabase.count("select count(*) from runs")).isEqualTo(1000);
    }

    @Test
    void aBatchWithOneInvalidItemWritesNothing() {
        ledger.admin().servicePut(SCOPE, "typed", new ServiceSpec(1, 30,
                json("{\"type\": \"object\", \"required\": [\"n\"]}"), null, null));
        List<TriggerRequest> items = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            items.add(TriggerRequest.of(i == 37 ? json() : json().put("n", i)));
        }
        assertThatThrownBy(() -> ledger.batches().register(SCOPE, "typed", items))
                .hasFieldOrPropertyWithValue("code", "invalid_input");
        items.set(37, TriggerRequest.builder().input(json().put("n", 1)).delaySeconds(-5).build());
        assertThatThrownBy(() -> ledger.batches().register(SCOPE, "typed", items))
                .isInstanceOf(InvalidArgumentException.class).hasMessageStartingWith("items[37]");
        assertThat(TestDatabase.count("select count(*) from runs")).isZero();
        assertThat(TestDatabase.count("select count(*) from batches")).isZero();
        assertThat(TestDatabase.count("select count(*) from run_events")).isZero();
    }

    @Test
    void preflightReportsWhatATriggerWouldSayAndWritesNothing() {
        ledger.admin().servicePut(SCOPE, "typed", new ServiceSpec(1, 30,
                json("{\"type\": \"object\", \"required\": [\"q\"]}"), null, null));
        String holder = trigger(TriggerRequest.builder().input(json()).concurrencyKey("k").idempotencyKey("i1").build()).runId();
        long runs = TestDatabase.count("select count(*) from runs");

        assertThat(ledger.runs().validate(SCOPE, "typed", TriggerRequest.of(json().put("q", "x"))).valid()).isTrue();
        ValidationReport bad = ledger.runs().validate(SCOPE, "typed", TriggerRequest.of(json()));
        assertThat(bad.valid()).isFalse();
        assertThat(bad.problems()).extracting(ValidationReport.Problem::code).containsExactly("invalid_input");
        assertThat(ledger.runs().validate(SCOPE, SERVICE, TriggerRequest.builder().input(json()).concurrencyKey("k").build())
                .problems()).extracting(ValidationReport.Problem::code).containsExactly("concurrency_conflict");
        assertThat(ledger.runs().validate(SCOPE, SERVICE, TriggerRequest.builder().input(json().put("other", 1))
                .idempotencyKey("i1").build()).problems()).extracting(ValidationReport.Problem::code)
                .contains("idempotency_key_reused");
        assertThat(ledger.runs().validate(SCOPE, "nope", TriggerRequest.of(json())).problems())
                .extracting(ValidationReport.Problem::code).containsExactly("service_not_found");
        assertThat(ledger.runs().validate(SCOPE, SERVICE, TriggerRequest.builder().input(json()).ttlSeconds(-1).build())
                .problems()).extracting(ValidationReport.Problem::code).containsExactly("invalid_argument");
        assertThat(TestDatabase.count("select count(*) from runs")).isEqualTo(runs);
        assertThat(holder).isNotNull();
    }

    @Test
    void preflightRunsTheTriggersChecksAndReportsEveryProblemItFinds() {
        ledger.admin().servicePut(SCOPE, "typed", new ServiceSpec(1, 30,
                json("{\"type\": \"object\", \"required\": [\"q\"]}"), null, null));
        trigger(TriggerRequest.builder().input(json()).concurrencyKey("k").build());
        ValidationReport report = ledger.runs().validate(SCOPE, "typed", TriggerRequest.builder().input(json())
                .ttlSeconds(-1).maxAttempts(0).parentRunId("run_missing").concurrencyKey("k").build());
        assertThat(report.valid()).isFalse();
        assertThat(report.problems()).extracting(ValidationReport.Problem::code).containsExactly(
                "invalid_argument", "invalid_argument", "invalid_input", "invalid_argument", "concurrency_conflict");
        assertThat(report.problems().get(0).message()).contains("ttlSeconds");
        assertThat(report.problems().get(1).message()).contains("maxAttempts");
        assertThat(report.problems().get(3).message()).contains("run_missing");
    }

    @Test
    void aPreflightThatWouldBeAcceptedWritesNothingEither() {
        long runs = TestDatabase.count("select count(*) from runs");
        long events = TestDatabase.count("select count(*) from run_events");
        ValidationReport report = ledger.runs().validate(SCOPE, SERVICE, TriggerRequest.builder().input(json())
                .idempotencyKey("fresh").concurrencyKey("free").delaySeconds(60L).build());
        assertThat(report.valid()).as("%s", report).isTrue();
        assertThat(TestDatabase.count("select count(*) from idempotency_keys")).isZero();
        assertThat(TestDatabase.count("select count(*) from runs")).isEqualTo(runs);
        assertThat(TestDatabase.count("select count(*) from run_events")).isEqualTo(events);
        // a replay of an accepted trigger would be answered with its receipt: valid
        TriggerRequest keyed = TriggerRequest.builder().input(json()).idempotencyKey("k1").build();
        trigger(keyed);
        assertThat(ledger.runs().validate(SCOPE, SERVICE, keyed).valid()).isTrue();
        assertThat(TestDatabase.count("select count(*) from idempotency_keys")).isEqualTo(1);
    }
}

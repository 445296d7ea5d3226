package io.runledger.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.api.Heartbeat;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.Lease;
import io.runledger.api.LeaseLostException;
import io.runledger.api.NotFoundException;
import io.runledger.api.RunAlreadySettledException;
import io.runledger.api.RunEvent;
import io.runledger.api.RunMessage;
import io.runledger.api.Signal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code Signals} and {@code Workers.messageAck}: a message goes pending, delivered, acked. */
public abstract class SignalsContract extends ContractBase {

    @Test
    void aSignalIsAnEventAndAMessageDeliveredOnTheNextHeartbeatThenAcked() {
        String runId = trigger().runId();
        Lease lease = leaseOne("w");
        RunMessage sent = ledger.signals().send(SCOPE, runId, new Signal("user.message", json().put("text", "also do X"), "info"));
        assertThat(sent.status()).isEqualTo("pending");
        assertThat(sent.runId()).isEqualTo(runId);
        assertThat(sent.type()).isEqualTo("user.message");
        assertThat(sent.severity()).isEqualTo("info");
        List<RunEvent> events = ledger.runs().events(SCOPE, runId, 0, 10).items();
        RunEvent last = events.get(events.size() - 1);
        assertThat(last.type()).isEqualTo("run.signal");
        assertThat(last.seq()).isEqualTo(sent.seq());
        assertThat(last.data().get("messageId").asText()).isEqualTo(sent.messageId());

        Heartbeat hb = ledger.workers().heartbeat(SCOPE, runId, lease.leaseToken());
        assertThat(hb.messages()).hasSize(1);
        assertThat(hb.messages().get(0).messageId()).isEqualTo(sent.messageId());
        assertThat(hb.messages().get(0).data().get("text").asText()).isEqualTo("also do X");
        assertThat(ledger.workers().heartbeat(SCOPE, runId, lease.leaseToken()).messages()).isEmpty();
        assertThat(ledger.signals().messages(SCOPE, runId)).extracting(RunMessage::status).containsExactly("delivered");

        assertThatThrownBy(() -> ledger.workers().messageAck(SCOPE, runId, sent.messageId(), "stale"))
                .isInstanceOf(LeaseLostException.class);
        RunMessage acked = ledger.workers().messageAck(SCOPE, runId, sent.messageId(), lease.leaseToken());
        assertThat(acked.messageId()).isEqualTo(sent.messageId());
        assertThat(acked.runId()).isEqualTo(runId);
        assertThat(acked.status()).isEqualTo("acked");
        assertThat(acked.deliveredAt()).isNotNull();
        assertThat(acked.ackedAt()).isNotNull();
        assertThat(ledger.signals().messages(SCOPE, runId)).containsExactly(acked);
        assertThat(ledger.runs().rebuildProjection(SCOPE, runId).changed()).isFalse();

        ledger.workers().complete(SCOPE, runId, lease.leaseToken(), json());
        assertThatThrownBy(() -> ledger.signals().send(SCOPE, runId, new Signal("late", json(), null)))
                .isInstanceOfSatisfying(RunAlreadySettledException.class,
                        e -> assertThat(e.code()).isEqualTo("run_already_settled"));
        assertThatThrownBy(() -> ledger.signals().send(SCOPE, "run_missing", new Signal("x", json(), null)))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).isEqualTo("run_not_found"));
        assertThatThrownBy(() -> ledger.signals().send(SCOPE, runId, new Signal("Bad Type", json(), null)))
                .isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void messagesAreListedOldestFirstAndAQueuedRunKeepsThemForItsWorker() {
        String runId = trigger().runId();
        RunMessage first = ledger.signals().send(SCOPE, runId, Signal.of("note", json().put("i", 1)));
        RunMessage second = ledger.signals().send(SCOPE, runId, new Signal("note", json().put("i", 2), "critical"));
        assertThat(first.severity()).isEqualTo("info");
        assertThat(second.seq()).isGreaterThan(first.seq());
        assertThat(ledger.signals().messages(SCOPE, runId)).extracting(RunMessage::messageId)
                .containsExactly(first.messageId(), second.messageId());
        assertThat(ledger.signals().messages(SCOPE, runId)).extracting(RunMessage::status)
                .containsExactly("pending", "pending");

        Lease lease = leaseOne("w");
        assertThat(ledger.workers().heartbeat(SCOPE, runId, lease.leaseToken()).messages())
                .extracting(m -> m.data().get("i").asInt()).containsExactly(1, 2);
        assertThatThrownBy(() -> ledger.signals().send(SCOPE, runId, new Signal("note", json(), "loud")))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(ledger.signals().messages(SCOPE, runId)).hasSize(2);
        assertThatThrownBy(() -> ledger.signals().messages(SCOPE, "run_missing"))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).isEqualTo("run_not_found"));
    }
}

package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.api.EventDraft;
import io.runledger.api.Lease;
import io.runledger.api.Receipt;
import io.runledger.api.Run;
import io.runledger.api.RunEvent;
import io.runledger.api.RunStatus;
import io.runledger.core.testing.LedgerTestBase;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunLifecycleTest extends LedgerTestBase {

    @Test
    void triggerLeaseAppendComplete() {
        Receipt receipt = trigger();
        assertThat(receipt.runId()).matches("run_[0-9a-z]{26}");
        assertThat(receipt.status()).isEqualTo(RunStatus.ACCEPTED);
        assertThat(receipt.replayed()).isFalse();

        Lease lease = leaseOne("w1");
        assertThat(lease.runId()).isEqualTo(receipt.runId());
        assertThat(lease.attempt()).isEqualTo(1);

        List<Long> seqs = ledger.workers().append(SCOPE, lease.runId(), lease.leaseToken(), List.of(
                new EventDraft("progress", json().put("pct", 50)),
                new EventDraft("output.delta", json().put("text", "hello"))));
        assertThat(seqs).containsExactly(3L, 4L);

        Run done = ledger.workers().complete(SCOPE, lease.runId(), lease.leaseToken(), json().put("answer", 42));
        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(done.output().get("answer").asInt()).isEqualTo(42);
        assertThat(done.lastSeq()).isEqualTo(5);

        List<RunEvent> events = ledger.runs().events(SCOPE, lease.runId(), 0, 100).items();
        assertThat(events).extracting(RunEvent::type)
                .containsExactly("run.accepted", "run.started", "progress", "output.delta", "run.succeeded");
        assertThat(events).extracting(RunEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(ledger.runs().rebuildProjection(SCOPE, lease.runId()).changed()).isFalse();
    }
}

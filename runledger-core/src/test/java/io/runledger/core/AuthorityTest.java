package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.api.EventDraft;
import io.runledger.api.Lease;
import io.runledger.api.LeaseLostException;
import io.runledger.api.RunError;
import io.runledger.api.RunStatus;
import io.runledger.api.ServiceSpec;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Invariant 3: only the current lease holder (or the sweeper / cancel path) finalizes. */
class AuthorityTest extends LedgerTestBase {

    @Override
    protected ServiceSpec serviceSpec() {
        return new ServiceSpec(3, 1, null, null, null);
    }

    @Test
    void progressEventsNeverFinalize() {
        String runId = trigger().runId();
        Lease lease = leaseOne("w1");
        List<EventDraft> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(new EventDraft(i % 2 == 0 ? "progress" : "custom.succeeded", json().put("i", i)));
        }
        ledger.workers().append(SCOPE, runId, lease.leaseToken(), events);
        assertThat(ledger.runs().get(SCOPE, runId).status()).isEqualTo(RunStatus.RUNNING);
        assertThatThrownBy(() -> ledger.workers().append(SCOPE, runId, lease.leaseToken(),
                List.of(new EventDraft("run.succeeded", json()))))
                .hasFieldOrPropertyWithValue("code", "invalid_argument");
        assertThat(ledger.runs().get(SCOPE, runId).status()).isEqualTo(RunStatus.RUNNING);
        assertThat(ledger.runs().get(SCOPE, runId).lastSeq()).isEqualTo(52);
    }

    @Test
    void aStaleTokenCanDoNothingAfterTheRunWasReleased() {
        String runId = trigger().runId();
        Lease first = leaseOne("w1");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ledger.maintenance().sweep().recovered() == 1);
        Lease second = leaseOne("w2");
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.leaseToken()).isNotEqualTo(first.leaseToken());

        String stale = first.leaseToken();
        assertThatThrownBy(() -> ledger.workers().heartbeat(SCOPE, runId, stale)).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> ledger.workers().append(SCOPE, runId, stale, List.of(new EventDraft("log", json()))))
                .isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> ledger.workers().complete(SCOPE, runId, stale, json()))
                .isInstanceOf(LeaseLostException.class).hasFieldOrPropertyWithValue("code", "lease_lost");
        assertThatThrownBy(() -> ledger.workers().fail(SCOPE, runId, stale, RunError.of("x", "y"), false))
                .isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> ledger.workers().complete(SCOPE, runId, "not-a-token", json()))
                .isInstanceOf(LeaseLostException.class);

        long eventsBefore = TestDatabase.count("select count(*) from run_events");
        ledger.workers().complete(SCOPE, runId, second.leaseToken(), json().put("ok", true));
        assertThat(TestDatabase.count("select count(*) from run_events")).isEqualTo(eventsBefore + 1);
        assertThat(ledger.runs().get(SCOPE, runId).workerId()).isEqualTo("w2");
    }

    @Test
    void aQueuedRunCannotBeFinalizedWithoutALease() {
        String runId = trigger().runId();
        assertThatThrownBy(() -> ledger.workers().complete(SCOPE, runId, "guess", json()))
                .isInstanceOf(LeaseLostException.class);
        assertThat(ledger.runs().get(SCOPE, runId).status()).isEqualTo(RunStatus.ACCEPTED);
    }
}

package io.runledger.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.api.EventDraft;
import io.runledger.api.Lease;
import io.runledger.api.LeaseLostException;
import io.runledger.api.Run;
import io.runledger.api.RunError;
import io.runledger.api.RunLedgerException;
import io.runledger.api.RunStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Who may finalize a run and how often: only the current lease token (invariant 3), exactly
 * one outcome however often or concurrently it is reported (invariant 2), retries until the
 * attempts run out.
 */
public abstract class OutcomesContract extends ContractBase {

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
        shortLeases(3);
        String runId = trigger().runId();
        Lease first = leaseOne("w1");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> maintenance().sweep().recovered() == 1);
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

        long eventsBefore = count("select count(*) from run_events");
        ledger.workers().complete(SCOPE, runId, second.leaseToken(), json().put("ok", true));
        assertThat(count("select count(*) from run_events")).isEqualTo(eventsBefore + 1);
        assertThat(ledger.runs().get(SCOPE, runId).workerId()).isEqualTo("w2");
    }

    @Test
    void aQueuedRunCannotBeFinalizedWithoutALease() {
        String runId = trigger().runId();
        assertThatThrownBy(() -> ledger.workers().complete(SCOPE, runId, "guess", json()))
                .isInstanceOf(LeaseLostException.class);
        assertThat(ledger.runs().get(SCOPE, runId).status()).isEqualTo(RunStatus.ACCEPTED);
    }

    @RepeatedTest(3)
    void racingFinalizersProduceOneTerminalEvent() throws Exception {
        String runId = trigger().runId();
        Lease lease = leaseOne("w1");
        List<Object> results = race(16, n -> {
            try {
                if (n % 2 == 0) {
                    return ledger.workers().complete(SCOPE, runId, lease.leaseToken(), json().put("by", n));
                }
                return ledger.workers().fail(SCOPE, runId, lease.leaseToken(), RunError.of("boom", "racer " + n), false);
            } catch (RunLedgerException e) {
                return e;
            }
        });
        assertThat(results.stream().filter(r -> r instanceof Run)).hasSize(1);
        assertThat(results.stream().filter(r -> !(r instanceof Run)))
                .allSatisfy(r -> assertThat(r).isInstanceOfSatisfying(RunLedgerException.class,
                        e -> assertThat(e.code()).isEqualTo("run_already_settled")));
        assertThat(count("select count(*) from run_events where run_id = '" + runId
                + "' and type in ('run.succeeded','run.failed','run.cancelled','run.expired')")).isEqualTo(1);
        assertThat(ledger.runs().get(SCOPE, runId).status()).isIn(RunStatus.SUCCEEDED, RunStatus.FAILED);
        assertThat(ledger.runs().rebuildProjection(SCOPE, runId).changed()).isFalse();
    }

    @Test
    void aRepeatedCompletionReturnsTheSameResultAndADifferentOneIsRefused() {
        String runId = trigger().runId();
        Lease lease = leaseOne("w1");
        Run first = ledger.workers().complete(SCOPE, runId, lease.leaseToken(), json().put("v", 1));
        Run again = ledger.workers().complete(SCOPE, runId, lease.leaseToken(), json().put("v", 1));
        assertThat(again).isEqualTo(first);

        assertThatThrownBy(() -> ledger.workers().complete(SCOPE, runId, lease.leaseToken(), json().put("v", 2)))
                .isInstanceOfSatisfying(io.runledger.api.RunAlreadySettledException.class, e -> {
                    assertThat(e.code()).isEqualTo("run_already_settled");
                    assertThat(e.status()).isEqualTo(RunStatus.SUCCEEDED);
                    assertThat(e.details()).containsEntry("runStatus", "succeeded");
                })
                .hasMessageContaining("succeeded");
        assertThatThrownBy(() -> ledger.workers().fail(SCOPE, runId, lease.leaseToken(),
                RunError.of("late", "too late"), false))
                .isInstanceOf(io.runledger.api.RunAlreadySettledException.class);
        assertThat(ledger.runs().get(SCOPE, runId).lastSeq()).isEqualTo(3);
    }

    @Test
    void aRepeatedFailureReturnsTheSameResult() {
        String runId = trigger().runId();
        Lease lease = leaseOne("w1");
        RunError error = new RunError("bad_input", "cannot parse", json().put("line", 3));
        Run first = ledger.workers().fail(SCOPE, runId, lease.leaseToken(), error, false);
        assertThat(first.status()).isEqualTo(RunStatus.FAILED);
        assertThat(first.error()).isEqualTo(error);
        Run again = ledger.workers().fail(SCOPE, runId, lease.leaseToken(), error, false);
        assertThat(again).isEqualTo(first);
        assertThatThrownBy(() -> ledger.workers().fail(SCOPE, runId, lease.leaseToken(),
                RunError.of("other", "different"), false))
                .isInstanceOf(io.runledger.api.RunAlreadySettledException.class);
    }

    @Test
    void aRetryableFailureRequeuesWithTheNextAttemptUntilAttemptsRunOut() {
        String runId = trigger().runId();
        for (int attempt = 1; attempt <= 3; attempt++) {
            Lease lease = leaseOne("w" + attempt);
            assertThat(lease.attempt()).isEqualTo(attempt);
            Run after = ledger.workers().fail(SCOPE, runId, lease.leaseToken(),
                    RunError.of("flaky", "try " + attempt), true);
            if (attempt < 3) {
                assertThat(after.status()).isEqualTo(RunStatus.ACCEPTED);
                assertThat(after.attempt()).isEqualTo(attempt + 1);
                // a repeat of the same report is answered, not applied twice
                assertThat(ledger.workers().fail(SCOPE, runId, lease.leaseToken(),
                        RunError.of("flaky", "try " + attempt), true)).isEqualTo(after);
            } else {
                assertThat(after.status()).isEqualTo(RunStatus.FAILED);
                assertThat(after.error().code()).isEqualTo("flaky");
            }
        }
        assertThat(count("select count(*) from run_events where type = 'run.retrying'")).isEqualTo(2);
        assertThat(lease("w9", 1)).isEmpty();
        assertThat(ledger.runs().rebuildProjection(SCOPE, runId).changed()).isFalse();
    }
}

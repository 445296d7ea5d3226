package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.api.Lease;
import io.runledger.api.LeaseRequest;
import io.runledger.api.Ledger;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Sessions: views of the engine whose long waits end when the session (or the engine) closes. */
class SessionTest extends LedgerTestBase {
    /** One thread per poll: the common pool has a single thread on two cores. */
    private static final ExecutorService POLLERS = Executors.newVirtualThreadPerTaskExecutor();

    private static CompletableFuture<List<Lease>> longPoll(Ledger ledger, String workerId) {
        return CompletableFuture.supplyAsync(() -> ledger.workers().lease(SCOPE,
                LeaseRequest.of(workerId, List.of(SERVICE), 1, Duration.ofSeconds(30))), POLLERS);
    }

    private void awaitPolling(String workerId) {
        // a poll registers its wake-up before its first claim, which marks the worker seen
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ledger.workers().list(SCOPE).stream()
                .anyMatch(w -> w.workerId().equals(workerId)));
    }

    @Test
    void closingASessionEndsItsWaitsAndNoOneElses() throws Exception {
        Ledger session = ledger.session();
        CompletableFuture<List<Lease>> inSession = longPoll(session, "in-session");
        CompletableFuture<List<Lease>> outside = longPoll(ledger, "outside");
        awaitPolling("in-session");
        awaitPolling("outside");

        session.close();
        assertThat(inSession.get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(outside).isNotDone();
        String runId = trigger().runId(); // the engine's own wait still works: the run wakes it
        assertThat(outside.get(5, TimeUnit.SECONDS)).extracting(Lease::runId).containsExactly(runId);
        // a closed session's new waits return after their first check
        assertThat(session.workers().lease(SCOPE, LeaseRequest.of("late", List.of(SERVICE), 1,
                Duration.ofSeconds(30)))).isEmpty();
    }

    @Test
    void closingTheEngineEndsTheWaitsOfItsOpenSessions() throws Exception {
        RunLedger engine = TestDatabase.ledgerBuilder().build();
        Ledger session = engine.session();
        CompletableFuture<List<Lease>> poll = longPoll(session, "until-close");
        awaitPolling("until-close");
        engine.close();
        assertThat(poll.get(5, TimeUnit.SECONDS)).isEmpty();
    }
}

package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.runledger.api.Completion;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.ItemOutcome;
import io.runledger.api.Lease;
import io.runledger.api.LeaseRequest;
import io.runledger.api.RunStatus;
import io.runledger.api.ServiceSpec;
import io.runledger.api.Settlement;
import io.runledger.api.TriggerRequest;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Lease polls and completions that queue behind each other are written together: one
 * claim statement for many polls, one settling statement for many completion calls. As in
 * {@link GroupCommitTest}, the grouping is made certain: a lock on the ledger holds the first
 * calls' statements (one claim, two completions: as many as run at once), every other call
 * queues behind them, and the lock goes only once all are waiting. Runs written by one
 * statement share its transaction id ({@code xmin}), which is how the tests tell a group from
 * calls written one by one.
 */
class GroupedWorkerCallsTest extends LedgerTestBase {
    private static final int QUEUED = 20;

    @Override
    protected ServiceSpec serviceSpec() {
        return new ServiceSpec(3, 300, null, null, null); // leases outlast a slow machine's test
    }

    @Test
    void pollsQueuedTogetherAreOneClaimAndEachGetsItsOwnRunsForItsOwnWorker() throws Exception {
        // Every worker polls once first, so that its later polls are the one-statement kind.
        for (int w = 0; w < QUEUED + 2; w++) {
            ledger.workers().lease(SCOPE, poll(w, 1));
        }
        // Fewer runs than the queued polls ask for: the first polls are filled, the last get none.
        int runs = 2 + 25;
        for (int i = 0; i < runs; i++) {
            ledger.runs().trigger(SCOPE, SERVICE, TriggerRequest.of(JsonNodeFactory.instance.objectNode().put("n", i)));
        }
        Map<Integer, Object> answers = new ConcurrentHashMap<>();
        // one claim runs at a time per scope: poll 0's is held, every other poll queues behind it
        queuedBehindALock(1, w -> () -> ledger.workers().lease(SCOPE, poll(w, asked(w))), answers);

        Set<String> leased = new HashSet<>();
        int filled = 0;
        for (int w = 0; w < QUEUED + 2; w++) {
            @SuppressWarnings("unchecked")
            List<Lease> got = (List<Lease>) answers.get(w);
            assertThat(got).hasSizeLessThanOrEqualTo(asked(w));
            for (Lease l : got) {
                assertThat(leased.add(l.runId())).as("each run leased once").isTrue();
                // the run is written as this poll's, and so is its run.started event
                assertThat(TestDatabase.count("select count(*) from runs r join run_events e using (scope_id, run_id)"
                        + " where r.run_id = '" + l.runId() + "' and r.worker_id = 'w" + w + "' and r.status = 'running'"
                        + " and r.lease_token = '" + l.leaseToken() + "' and e.type = 'run.started'"
                        + " and e.data ->> 'workerId' = 'w" + w + "'")).isEqualTo(1);
            }
            filled += got.size();
        }
        assertThat(filled).isEqualTo(runs);
        // the held poll, then every queued one in one statement
        assertThat(TestDatabase.count("select count(distinct xmin::text) from runs where status = 'running'"))
                .isEqualTo(2);
        // the polls queued first got the runs: a poll after one left unfilled got none
        boolean emptySeen = false;
        for (int w = 1; w < QUEUED + 2; w++) {
            @SuppressWarnings("unchecked")
            List<Lease> got = (List<Lease>) answers.get(w);
            if (emptySeen) {
                assertThat(got).isEmpty();
            }
            emptySeen |= got.size() < asked(w);
        }
    }

    @Test
    void completionsQueuedTogetherAreOneStatementAndEachIsVisibleToAnotherConnectionAtOnce() throws Exception {
        List<Lease> leases = leaseRuns(QUEUED + 2);
        Map<Integer, Object> answers = new ConcurrentHashMap<>();
        Map<Integer, Boolean> visible = new ConcurrentHashMap<>();
        queuedBehindALock(2, i -> () -> {
            List<ItemOutcome<Settlement>> out = ledger.workers().completeAll(SCOPE,
                    List.of(new Completion(leases.get(i).runId(), leases.get(i).leaseToken(), output(i))));
            visible.put(i, succeededElsewhere(leases.get(i).runId()));
            return out;
        }, answers);
        for (int i = 0; i < QUEUED + 2; i++) {
            @SuppressWarnings("unchecked")
            List<ItemOutcome<Settlement>> out = (List<ItemOutcome<Settlement>>) answers.get(i);
            assertThat(out).singleElement().satisfies(o -> assertThat(o.value().status()).isEqualTo(RunStatus.SUCCEEDED));
            assertThat(visible.get(i)).isTrue();
            assertThat(ledger.runs().get(SCOPE, leases.get(i).runId()).output()).isEqualTo(output(i));
        }
        assertThat(TestDatabase.count("select count(distinct xmin::text) from runs where status = 'succeeded'"))
                .isEqualTo(3);
        assertThat(TestDatabase.count("select count(*) from run_events where type = 'run.succeeded'"))
                .isEqualTo(QUEUED + 2);
    }

    @Test
    void anOutputTheDatabaseRefusesFailsOnlyItsOwnCallAndTheOthersAreSettled() throws Exception {
        List<Lease> leases = leaseRuns(QUEUED + 2);
        int bad = 7;
        // U+0000 cannot be stored in jsonb: PostgreSQL refuses the statement that holds the group
        JsonNode refused = JsonNodeFactory.instance.objectNode().put("text", "nul\u0000");
        Map<Integer, Object> answers = new ConcurrentHashMap<>();
        queuedBehindALock(2, i -> () -> ledger.workers().completeAll(SCOPE,
                List.of(new Completion(leases.get(i).runId(), leases.get(i).leaseToken(),
                        i == bad ? refused : output(i)))), answers);
        for (int i = 0; i < QUEUED + 2; i++) {
            @SuppressWarnings("unchecked")
            ItemOutcome<Settlement> o = ((List<ItemOutcome<Settlement>>) answers.get(i)).get(0);
            if (i == bad) {
                assertThat(o.error()).isInstanceOf(InvalidArgumentException.class);
                assertThat(ledger.runs().get(SCOPE, leases.get(i).runId()).status()).isEqualTo(RunStatus.RUNNING);
            } else {
                assertThat(o.value().status()).isEqualTo(RunStatus.SUCCEEDED);
            }
        }
        assertThat(TestDatabase.count("select count(*) from run_events where type = 'run.succeeded'"))
                .isEqualTo(QUEUED + 1);
    }

    @Test
    void twoCallsThatCompleteTheSameRunAreNeverOneGroupAndOnlyOneOfThemSettlesIt() throws Exception {
        List<Lease> leases = leaseRuns(QUEUED + 2);
        Lease twice = leases.get(5);
        Map<Integer, Object> answers = new ConcurrentHashMap<>();
        // call QUEUED + 1 names run 5 again, with another output
        queuedBehindALock(2, i -> () -> {
            Lease l = i == QUEUED + 1 ? twice : leases.get(i);
            return ledger.workers().completeAll(SCOPE, List.of(new Completion(l.runId(), l.leaseToken(), output(i))));
        }, answers);
        List<ItemOutcome<Settlement>> onTwice = new ArrayList<>();
        for (int i : List.of(5, QUEUED + 1)) {
            @SuppressWarnings("unchecked")
            ItemOutcome<Settlement> o = ((List<ItemOutcome<Settlement>>) answers.get(i)).get(0);
            onTwice.add(o);
        }
        assertThat(onTwice).filteredOn(o -> o.error() == null).hasSize(1);
        assertThat(onTwice).filteredOn(o -> o.error() != null).hasSize(1);
        JsonNode stored = ledger.runs().get(SCOPE, twice.runId()).output();
        assertThat(stored).isIn(output(5), output(QUEUED + 1));
        assertThat(TestDatabase.count("select count(*) from run_events where type = 'run.succeeded'"
                + " and run_id = '" + twice.runId() + "'")).isEqualTo(1);
    }

    /** What poll {@code w} asks for: the first two one run, the others 1, 2 or 3 (40 in all). */
    private static int asked(int w) {
        return w < 2 ? 1 : 1 + w % 3;
    }

    private static LeaseRequest poll(int worker, int max) {
        return LeaseRequest.of("w" + worker, List.of(SERVICE), max, Duration.ZERO);
    }

    private static JsonNode output(int i) {
        return JsonNodeFactory.instance.objectNode().put("done", i);
    }

    private List<Lease> leaseRuns(int n) {
        for (int i = 0; i < n; i++) {
            ledger.runs().trigger(SCOPE, SERVICE, TriggerRequest.of(JsonNodeFactory.instance.objectNode().put("n", i)));
        }
        List<Lease> leases = ledger.workers().lease(SCOPE, poll(99, n));
        assertThat(leases).hasSize(n);
        return leases;
    }

    /**
     * The first {@code held} calls run while a lock on the ledger holds their statements; the
     * calls after them (up to {@code QUEUED + 1}) queue behind them; the lock goes once all
     * are waiting. Answers (or failures) by call.
     */
    private void queuedBehindALock(int held, IntFunction<Supplier<Object>> call, Map<Integer, Object> answers)
            throws Exception {
        List<Thread> callers = new ArrayList<>();
        try (Connection locker = TestDatabase.connect()) {
            locker.setAutoCommit(false);
            try (Statement st = locker.createStatement()) {
                st.execute("lock table run_events in share mode");
            }
            for (int i = 0; i < held; i++) {
                callers.add(start(i, call.apply(i), answers));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> TestDatabase.waitingOnLocks() == held);
            List<Thread> queued = new ArrayList<>();
            for (int i = held; i < QUEUED + 2; i++) {
                Thread t = start(i, call.apply(i), answers);
                queued.add(t);
                // one at a time, so that they queue in this order
                await().atMost(Duration.ofSeconds(20)).until(() -> t.getState() == Thread.State.WAITING);
            }
            callers.addAll(queued);
            assertThat(answers).isEmpty();
            locker.rollback();
        }
        for (Thread t : callers) {
            t.join(Duration.ofSeconds(30));
        }
        assertThat(answers).hasSize(QUEUED + 2);
    }

    private static Thread start(int i, Supplier<Object> call, Map<Integer, Object> answers) {
        return Thread.ofPlatform().start(() -> {
            try {
                answers.put(i, call.get());
            } catch (RuntimeException e) {
                answers.put(i, e);
            }
        });
    }

    private static boolean succeededElsewhere(String runId) {
        return TestDatabase.count("select count(*) from runs r join run_events e using (scope_id, run_id)"
                + " where r.run_id = ? and r.status = 'succeeded' and e.type = 'run.succeeded'", runId) == 1;
    }
}

package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.runledger.api.IdempotencyKeyReusedException;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.LedgerListener;
import io.runledger.api.Receipt;
import io.runledger.api.ServiceSpec;
import io.runledger.api.TriggerRequest;
import io.runledger.core.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Single triggers that arrive while a commit is in flight are written together, in one
 * transaction. The test makes the grouping certain rather than likely: it holds a lock that
 * stops every insert into the ledger, so the first triggers' transactions wait on it and the
 * rest queue up behind them; once every caller is waiting, the lock goes and the queue is
 * written as one group.
 */
class GroupCommitTest {
    private static final String SCOPE = "acme";
    private static final String SERVICE = "work";
    private static final int QUEUED = 20;

    private final List<Integer> triggeredCounts = new CopyOnWriteArrayList<>();
    private RunLedger ledger;

    @BeforeEach
    void open() {
        TestDatabase.truncate();
        ledger = TestDatabase.ledgerBuilder().listener(new LedgerListener() {
            @Override
            public void runsTriggered(String scope, String service, int count) {
                triggeredCounts.add(count);
            }
        }).build();
        ledger.admin().scopePut(SCOPE);
        ledger.admin().servicePut(SCOPE, SERVICE, new ServiceSpec(3, 30, null, null, null));
        triggeredCounts.clear();
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    @Test
    void aGroupIsWrittenInOneTransactionAndEachReceiptIsVisibleToAnotherConnectionAtOnce() throws Exception {
        List<Outcome> outcomes = triggerQueuedBehindALock(List.of());
        assertThat(outcomes).allSatisfy(o -> {
            assertThat(o.failure()).isNull();
            // checked by the calling thread on its own connection right after the receipt
            assertThat(o.visibleAtOnce()).isTrue();
        });
        // the two triggers held by the lock, then everything that queued behind them at once
        assertThat(triggeredCounts).contains(QUEUED);
        assertThat(TestDatabase.count("select count(*) from runs")).isEqualTo(QUEUED + 2);
        assertThat(TestDatabase.count("select count(*) from run_events where type = 'run.accepted' and seq = 1"))
                .isEqualTo(QUEUED + 2);
    }

    @Test
    void oneItemTheDatabaseRefusesFailsAloneAndItsNeighboursAreWritten() throws Exception {
        // U+0000 cannot be stored in jsonb: the engine's checks let it through, PostgreSQL
        // refuses it, and with it the statement that holds the whole group.
        JsonNode bad = JsonNodeFactory.instance.objectNode().put("text", "nul\u0000");
        List<Outcome> outcomes = triggerQueuedBehindALock(List.of(TriggerRequest.of(bad)));
        List<Outcome> refused = outcomes.stream().filter(o -> o.failure() != null).toList();
        assertThat(refused).singleElement().satisfies(o -> {
            assertThat(o.input()).isEqualTo(bad);
            assertThat(o.failure()).isInstanceOf(InvalidArgumentException.class);
        });
        assertThat(outcomes).filteredOn(o -> o.failure() == null).hasSize(QUEUED + 1)
                .allSatisfy(o -> assertThat(o.visibleAtOnce()).isTrue());
        assertThat(TestDatabase.count("select count(*) from runs")).isEqualTo(QUEUED + 1);
        assertThat(TestDatabase.count("select count(*) from run_events")).isEqualTo(QUEUED + 1);
        // the group was refused whole, then its items were written one by one
        assertThat(triggeredCounts).doesNotContain(QUEUED).allSatisfy(n -> assertThat(n).isEqualTo(1));
    }

    @Test
    void idempotencyKeysInAGroupReplayAndRefuseAsAloneWhileTheirNeighboursAreWritten() throws Exception {
        // a key claimed before the group, by a run of its own
        Receipt earlier = ledger.runs().trigger(SCOPE, SERVICE, keyed("k-old", 1));
        triggeredCounts.clear();
        List<Outcome> outcomes = triggerQueuedBehindALock(List.of(
                keyed("k-new", 1), keyed("k-new", 1),   // the same trigger twice in one group
                keyed("k-clash", 1), keyed("k-clash", 2), // the same key, another request
                keyed("k-old", 1), keyed("k-old", 3)));  // a replay, and a reuse of an older key
        Map<String, List<Outcome>> byKey = new java.util.HashMap<>();
        outcomes.stream().filter(o -> o.request().idempotencyKey() != null)
                .forEach(o -> byKey.computeIfAbsent(o.request().idempotencyKey(), k -> new ArrayList<>()).add(o));

        List<Outcome> fresh = byKey.get("k-new");
        assertThat(fresh).allSatisfy(o -> assertThat(o.failure()).isNull());
        assertThat(fresh).extracting(o -> o.receipt().runId()).containsOnly(fresh.get(0).receipt().runId());
        assertThat(fresh).extracting(o -> o.receipt().replayed()).containsExactlyInAnyOrder(false, true);

        List<Outcome> clash = byKey.get("k-clash");
        assertThat(clash).filteredOn(o -> o.failure() == null).singleElement()
                .satisfies(o -> assertThat(o.receipt().replayed()).isFalse());
        assertThat(clash).filteredOn(o -> o.failure() != null).singleElement()
                .satisfies(o -> assertThat(o.failure()).isInstanceOf(IdempotencyKeyReusedException.class));

        List<Outcome> old = byKey.get("k-old");
        assertThat(old).filteredOn(o -> o.failure() == null).singleElement().satisfies(o -> {
            assertThat(o.receipt().runId()).isEqualTo(earlier.runId());
            assertThat(o.receipt().replayed()).isTrue();
            assertThat(o.request().input().get("n").asInt()).isEqualTo(1);
        });
        assertThat(old).filteredOn(o -> o.failure() != null).singleElement()
                .satisfies(o -> assertThat(o.failure()).isInstanceOf(IdempotencyKeyReusedException.class));

        // every other trigger succeeded; one run per distinct accepted trigger
        assertThat(outcomes).filteredOn(o -> o.request().idempotencyKey() == null)
                .allSatisfy(o -> assertThat(o.failure()).isNull());
        assertThat(TestDatabase.count("select count(*) from runs")).isEqualTo(1 + 2 + (QUEUED - 6) + 2);
        assertThat(TestDatabase.count("select count(*) from idempotency_keys")).isEqualTo(3);
        // the new keys' first claims were written with the group, not alone
        assertThat(triggeredCounts).contains(QUEUED - 6 + 2);
    }

    private static TriggerRequest keyed(String key, int n) {
        return TriggerRequest.builder().input(JsonNodeFactory.instance.objectNode().put("n", n)).idempotencyKey(key).build();
    }

    private record Outcome(TriggerRequest request, Receipt receipt, RuntimeException failure, boolean visibleAtOnce) {
        JsonNode input() {
            return request.input();
        }
    }

    /**
     * Two triggers whose transactions wait on a lock, then {@code QUEUED} more (the
     * {@code extra} inputs among them) queued behind; all answered once the lock is gone.
     */
    private List<Outcome> triggerQueuedBehindALock(List<TriggerRequest> extra) throws Exception {
        List<TriggerRequest> inputs = new ArrayList<>();
        for (int i = 0; inputs.size() < QUEUED - extra.size(); i++) {
            inputs.add(TriggerRequest.of(JsonNodeFactory.instance.objectNode().put("n", i)));
        }
        inputs.addAll(extra);
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        List<Thread> callers = new ArrayList<>();
        try (Connection locker = TestDatabase.connect()) {
            locker.setAutoCommit(false);
            try (Statement st = locker.createStatement()) {
                st.execute("lock table run_events in share mode");
            }
            // the first two: one group each, both waiting on the lock
            for (int i = 0; i < 2; i++) {
                callers.add(start(TriggerRequest.of(JsonNodeFactory.instance.objectNode().put("held", i)), outcomes));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> TestDatabase.waitingOnLocks() == 2);
            List<Thread> queued = new ArrayList<>();
            for (TriggerRequest request : inputs) {
                queued.add(start(request, outcomes));
            }
            callers.addAll(queued);
            // every queued caller is parked in the group, waiting for a commit slot
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    queued.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
            assertThat(outcomes).isEmpty();
            locker.rollback();
        }
        for (Thread t : callers) {
            t.join(Duration.ofSeconds(30));
        }
        assertThat(outcomes).hasSize(QUEUED + 2);
        return outcomes;
    }

    private Thread start(TriggerRequest request, List<Outcome> outcomes) {
        return Thread.ofPlatform().start(() -> {
            try {
                Receipt r = ledger.runs().trigger(SCOPE, SERVICE, request);
                outcomes.add(new Outcome(request, r, null, visibleElsewhere(r.runId())));
            } catch (RuntimeException e) {
                outcomes.add(new Outcome(request, null, e, false));
            }
        });
    }

    private static boolean visibleElsewhere(String runId) {
        return TestDatabase.count("select count(*) from runs r join run_events e using (scope_id, run_id) "
                + "where r.run_id = ? and e.seq = 1 and r.status = 'accepted'", runId) == 1;
    }
}

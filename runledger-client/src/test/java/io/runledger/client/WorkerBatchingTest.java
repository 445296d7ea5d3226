package io.runledger.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.api.Batches;
import io.runledger.api.Completion;
import io.runledger.api.EventDraft;
import io.runledger.api.Failure;
import io.runledger.api.Heartbeat;
import io.runledger.api.ItemOutcome;
import io.runledger.api.Lease;
import io.runledger.api.LeaseRef;
import io.runledger.api.LeaseRequest;
import io.runledger.api.Ledger;
import io.runledger.api.Run;
import io.runledger.api.RunError;
import io.runledger.api.RunMessage;
import io.runledger.api.RunStatus;
import io.runledger.api.Receipt;
import io.runledger.api.Runs;
import io.runledger.api.Schedules;
import io.runledger.api.ServiceSpec;
import io.runledger.api.Settlement;
import io.runledger.api.Signals;
import io.runledger.api.StepRecord;
import io.runledger.api.SuspendRequest;
import io.runledger.api.SuspendResult;
import io.runledger.api.TriggerRequest;
import io.runledger.api.WorkerInfo;
import io.runledger.api.Workers;
import io.runledger.api.Admin;
import io.runledger.api.Waitpoints;
import io.runledger.api.Webhooks;
import io.runledger.client.internal.Wire;
import io.runledger.core.RunLedger;
import io.runledger.core.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The worker's batching against the embedded engine: completions of runs that end together
 * go to the server in few calls, and a local queue holds leased runs (heartbeated) until a
 * handler is free, handing them back at once on shutdown.
 */
class WorkerBatchingTest {
    private static final String SCOPE = "acme";
    private RunLedger engine;
    /** The engine's own Workers, counting the batched calls the worker makes through it. */
    private final List<Integer> completeCalls = new CopyOnWriteArrayList<>();
    private Ledger ledger;

    @BeforeEach
    void open() {
        TestDatabase.truncate();
        engine = TestDatabase.ledgerBuilder().backgroundLoops(true).sweepInterval(Duration.ofMillis(200)).build();
        engine.admin().scopePut(SCOPE);
        engine.admin().servicePut(SCOPE, "echo", new ServiceSpec(3, 3, null, null, null));
        ledger = new CountingLedger(engine, completeCalls);
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private String trigger(int n) {
        return engine.runs().trigger(SCOPE, "echo", TriggerRequest.of(Wire.MAPPER.createObjectNode().put("n", n))).runId();
    }

    @Test
    void runsThatEndTogetherAreCompletedInFewCallsEachExactlyOnce() throws Exception {
        int n = 20;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(trigger(i));
        }
        CountDownLatch allStarted = new CountDownLatch(n);
        CountDownLatch finish = new CountDownLatch(1);
        try (Worker worker = Worker.builder(ledger).scope(SCOPE).concurrency(n).pollWait(Duration.ofSeconds(1))
                .handle("echo", (ctx, input) -> {
                    allStarted.countDown();
                    finish.await();
                    return Wire.MAPPER.createObjectNode().put("n", input.get("n").asInt());
                }).build().start()) {
            assertThat(allStarted.await(20, TimeUnit.SECONDS)).isTrue();
            finish.countDown(); // all twenty complete at once
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                    TestDatabase.count("select count(*) from runs where status = 'succeeded'") == n);
        }
        assertThat(completeCalls.stream().mapToInt(Integer::intValue).sum()).isEqualTo(n);
        // the first completion goes alone; those made while it was under way went together
        assertThat(completeCalls.size()).isLessThan(n);
        assertThat(completeCalls).anySatisfy(size -> assertThat(size).isGreaterThan(1));
        assertThat(TestDatabase.count("select count(*) from run_events where type = 'run.succeeded'")).isEqualTo(n);
        assertThat(engine.runs().get(SCOPE, ids.get(7)).output().get("n").asInt()).isEqualTo(7);
    }

    @Test
    void aLocalQueueHoldsLeasedRunsAliveUntilAHandlerIsFree() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(trigger(i));
        }
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch finish = new CountDownLatch(1);
        try (Worker worker = Worker.builder(ledger).scope(SCOPE).concurrency(1).localQueue(3)
                .pollWait(Duration.ofSeconds(1))
                .handle("echo", (ctx, input) -> {
                    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        finish.await();
                    } finally {
                        running.decrementAndGet();
                    }
                    return input;
                }).build().start()) {
            // all four leased by this worker: one running, three queued
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                    TestDatabase.count("select count(*) from runs where status = 'running'") == 4);
            // longer than the 3-s lease: the queued runs keep theirs by heartbeats
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> TestDatabase.count(
                    "select count(*) from runs where status = 'running' and lease_expires_at > started_at"
                            + " + interval '3 seconds'") == 4);
            assertThat(TestDatabase.count("select count(*) from run_events where type = 'run.lease_expired'")).isZero();
            finish.countDown();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                    TestDatabase.count("select count(*) from runs where status = 'succeeded'") == 4);
        }
        assertThat(mostAtOnce.get()).isEqualTo(1);
        assertThat(TestDatabase.count("select count(*) from runs where attempt = 1")).isEqualTo(4);
    }

    @Test
    void shutdownHandsQueuedRunsBackAtOnce() throws Exception {
        for (int i = 0; i < 3; i++) {
            trigger(i);
        }
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Worker worker = Worker.builder(ledger).scope(SCOPE).concurrency(1).localQueue(2)
                .pollWait(Duration.ofMillis(200)).shutdownGrace(Duration.ofSeconds(30))
                .handle("echo", (ctx, input) -> {
                    started.countDown();
                    finish.await();
                    return input;
                }).build().start();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                TestDatabase.count("select count(*) from runs where status = 'running'") == 3);
        var done = worker.shutdown();
        // the two queued runs are back in the queue for another worker, long before the grace ends
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                TestDatabase.count("select count(*) from runs where status = 'accepted' and attempt = 2") == 2);
        assertThat(TestDatabase.count("select count(*) from runs where status = 'running'")).isEqualTo(1);
        finish.countDown();
        done.get(20, TimeUnit.SECONDS);
        assertThat(TestDatabase.count("select count(*) from runs where status = 'succeeded'")).isEqualTo(1);
    }

    /** The engine, with its Workers counting the items of each completeAll call. */
    private record CountingLedger(RunLedger engine, List<Integer> completeCalls) implements Ledger {
        @Override
        public Runs runs() {
            return engine.runs();
        }

        @Override
        public Workers workers() {
            Workers w = engine.workers();
            return new Workers() {
                @Override
                public List<Lease> lease(String scope, LeaseRequest request) {
                    return w.lease(scope, request);
                }

                @Override
                public Heartbeat heartbeat(String scope, String runId, String leaseToken) {
                    return w.heartbeat(scope, runId, leaseToken);
                }

                @Override
                public List<Long> append(String scope, String runId, String leaseToken, List<EventDraft> events) {
                    return w.append(scope, runId, leaseToken, events);
                }

                @Override
                public Run complete(String scope, String runId, String leaseToken, JsonNode output) {
                    return w.complete(scope, runId, leaseToken, output);
                }

                @Override
                public Run fail(String scope, String runId, String leaseToken, RunError error, boolean retryable,
                                Double retryAfterSeconds) {
                    return w.fail(scope, runId, leaseToken, error, retryable, retryAfterSeconds);
                }

                @Override
                public SuspendResult suspend(String scope, String runId, SuspendRequest request) {
                    return w.suspend(scope, runId, request);
                }

                @Override
                public StepRecord stepRecord(String scope, String runId, String step, String leaseToken,
                                             JsonNode output) {
                    return w.stepRecord(scope, runId, step, leaseToken, output);
                }

                @Override
                public Receipt triggerChild(String scope, String runId, String leaseToken, String step,
                                            String service, TriggerRequest request) {
                    return w.triggerChild(scope, runId, leaseToken, step, service, request);
                }

                @Override
                public List<ItemOutcome<Settlement>> completeAll(String scope, List<Completion> items) {
                    completeCalls.add(items.size());
                    return w.completeAll(scope, items);
                }

                @Override
                public List<ItemOutcome<Settlement>> failAll(String scope, List<Failure> items) {
                    return w.failAll(scope, items);
                }

                @Override
                public List<ItemOutcome<Heartbeat>> heartbeatAll(String scope, List<LeaseRef> items) {
                    return w.heartbeatAll(scope, items);
                }

                @Override
                public List<WorkerInfo> list(String scope) {
                    return w.list(scope);
                }

                @Override
                public RunMessage messageAck(String scope, String runId, String messageId, String leaseToken) {
                    return w.messageAck(scope, runId, messageId, leaseToken);
                }
            };
        }

        @Override
        public Signals signals() {
            return engine.signals();
        }

        @Override
        public Batches batches() {
            return engine.batches();
        }

        @Override
        public Webhooks webhooks() {
            return engine.webhooks();
        }

        @Override
        public Waitpoints waitpoints() {
            return engine.waitpoints();
        }

        @Override
        public Schedules schedules() {
            return engine.schedules();
        }

        @Override
        public io.runledger.api.BulkActions bulkActions() {
            return engine.bulkActions();
        }

        @Override
        public Admin admin() {
            return engine.admin();
        }

        @Override
        public void close() {
        }
    }
}

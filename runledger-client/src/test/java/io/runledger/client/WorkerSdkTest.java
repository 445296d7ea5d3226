package io.runledger.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.Receipt;
import io.runledger.api.Run;
import io.runledger.api.RunEvent;
import io.runledger.api.RunMessage;
import io.runledger.api.RunStatus;
import io.runledger.api.ServiceSpec;
import io.runledger.api.Signal;
import io.runledger.api.TriggerRequest;
import io.runledger.client.internal.Wire;
import io.runledger.core.RunLedger;
import io.runledger.core.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Worker SDK against the embedded engine (the same Ledger the HTTP client implements). */
class WorkerSdkTest {
    private static final String SCOPE = "acme";
    private RunLedger ledger;

    @BeforeEach
    void open() {
        TestDatabase.truncate();
        ledger = TestDatabase.ledgerBuilder().backgroundLoops(true).sweepInterval(Duration.ofMillis(200)).build();
        ledger.admin().scopePut(SCOPE);
        ledger.admin().servicePut(SCOPE, "echo", new ServiceSpec(3, 2, null, null, null));
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    private String trigger(int n) {
        return ledger.runs().trigger(SCOPE, "echo", TriggerRequest.of(Wire.MAPPER.createObjectNode().put("n", n))).runId();
    }

    @Test
    void aPoolOfWorkersSettlesEveryRunExactlyOnce() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ids.add(trigger(i));
        }
        ConcurrentHashMap<String, AtomicInteger> executions = new ConcurrentHashMap<>();
        List<Worker> pool = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            pool.add(Worker.builder(ledger).scope(SCOPE).workerId("w" + w).concurrency(8)
                    .pollWait(Duration.ofSeconds(1))
                    .handle("echo", (ctx, input) -> {
                        executions.computeIfAbsent(ctx.runId(), k -> new AtomicInteger()).incrementAndGet();
                        ctx.outputDelta("n=" + input.get("n").asInt());
                        return Wire.MAPPER.createObjectNode().put("doubled", input.get("n").asInt() * 2);
                    }).build().start());
        }
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                    TestDatabase.count("select count(*) from runs where status = 'succeeded'") == 200);
        } finally {
            pool.forEach(Worker::close);
        }
        assertThat(executions).hasSize(200);
        assertThat(executions.values()).allMatch(c -> c.get() == 1);
        Run sample = ledger.runs().get(SCOPE, ids.get(17));
        assertThat(sample.output().get("doubled").asInt()).isEqualTo(34);
        assertThat(TestDatabase.count("select count(*) from run_events where type = 'run.succeeded'")).isEqualTo(200);
    }

    @Test
    void aStopRequestInterruptsTheHandlerWithinOneHeartbeat() throws Exception {
        String runId = trigger(1);
        CountDownLatch started = new CountDownLatch(1);
        long[] stoppedAfterMs = {-1};
        try (Worker worker = Worker.builder(ledger).scope(SCOPE).pollWait(Duration.ofSeconds(1))
                .handle("echo", (ctx, input) -> {
                    started.countDown();
                    long t0 = System.nanoTime();
                    try {
                        // Busy until interrupted: nothing opens this latch, so only the stop
                        // (or, failing it, the worker's shutdown) ends the handler.
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        stoppedAfterMs[0] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                        assertThat(ctx.stopRequested()).isTrue();
                        throw e;
                    }
                    return null;
                }).build().start()) {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            long cancelAt = System.nanoTime();
            ledger.runs().cancel(SCOPE, runId, "user stop");
            Run run = ledger.runs().await(SCOPE, runId, Duration.ofSeconds(10));
            long settleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelAt);
            assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
            // lease TTL 2 s -> heartbeat every ~667 ms
            assertThat(settleMs).isLessThan(2_000);
        }
    }

    @Test
    void retryableFailuresRetryAndNonRetryableOnesFailAtOnce() {
        ledger.admin().servicePut(SCOPE, "flaky", new ServiceSpec(3, 5, null, null, null));
        String flaky = ledger.runs().trigger(SCOPE, "flaky", TriggerRequest.of(Wire.MAPPER.createObjectNode())).runId();
        String fatal = trigger(-1);
        try (Worker worker = Worker.builder(ledger).scope(SCOPE).pollWait(Duration.ofSeconds(1))
                .handle("flaky", (ctx, input) -> {
                    if (ctx.attempt() < 3) {
                        throw new IllegalStateException("transient " + ctx.attempt());
                    }
                    return Wire.MAPPER.createObjectNode().put("attempt", ctx.attempt());
                })
                .handle("echo", (ctx, input) -> {
                    throw new NonRetryableException("bad_input", "n must be positive");
                }).build().start()) {
            Run flakyRun = ledger.runs().await(SCOPE, flaky, Duration.ofSeconds(20));
            assertThat(flakyRun.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(flakyRun.attempt()).isEqualTo(3);
            Run fatalRun = ledger.runs().await(SCOPE, fatal, Duration.ofSeconds(20));
            assertThat(fatalRun.status()).isEqualTo(RunStatus.FAILED);
            assertThat(fatalRun.attempt()).isEqualTo(1);
            assertThat(fatalRun.error().code()).isEqualTo("bad_input");
        }
    }

    @Test
    void shutdownReleasesARunThatDoesNotFinishInTime() throws Exception {
        String runId = trigger(1);
        CountDownLatch started = new CountDownLatch(1);
        Worker stubborn = Worker.builder(ledger).scope(SCOPE).workerId("stubborn")
                .pollWait(Duration.ofSeconds(1)).shutdownGrace(Duration.ofMillis(300))
                .handle("echo", (ctx, input) -> {
                    started.countDown();
                    // Never finishes on its own: nothing opens this latch, so only the interrupt
                    // after the 300 ms shutdown grace ends the handler.
                    new CountDownLatch(1).await();
                    return null;
                }).build().start();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        stubborn.shutdown().get(10, TimeUnit.SECONDS);
        Run released = ledger.runs().get(SCOPE, runId);
        assertThat(released.status()).isEqualTo(RunStatus.ACCEPTED);
        assertThat(released.attempt()).isEqualTo(2);
        assertThat(released.error().code()).isEqualTo("worker_shutdown");

        try (Worker next = Worker.builder(ledger).scope(SCOPE).workerId("next").pollWait(Duration.ofSeconds(1))
                .handle("echo", (ctx, input) -> input).build().start()) {
            Run done = ledger.runs().await(SCOPE, runId, Duration.ofSeconds(10));
            assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(done.workerId()).isEqualTo("next");
        }
        List<String> types = ledger.runs().events(SCOPE, runId, 0, 100).items().stream().map(RunEvent::type).toList();
        assertThat(types).containsExactly("run.accepted", "run.started", "run.retrying", "run.started", "run.succeeded");
    }

    @Test
    void aSignalReachesTheHandlersCallbackAndIsAcked() throws Exception {
        String runId = trigger(1);
        CountDownLatch started = new CountDownLatch(1);
        java.util.concurrent.BlockingQueue<RunMessage> got = new java.util.concurrent.LinkedBlockingQueue<>();
        try (Worker worker = Worker.builder(ledger).scope(SCOPE).pollWait(Duration.ofSeconds(1))
                .handle("echo", (ctx, input) -> {
                    ctx.onMessage(got::add);
                    started.countDown();
                    RunMessage message = got.poll(20, TimeUnit.SECONDS);
                    return Wire.MAPPER.createObjectNode().put("heard", message.data().path("text").asText());
                }).build().start()) {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            String messageId = ledger.signals().send(SCOPE, runId, new Signal("user.message",
                    Wire.MAPPER.createObjectNode().put("text", "add a summary"), null)).messageId();
            Run done = ledger.runs().await(SCOPE, runId, Duration.ofSeconds(20));
            assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(done.output().get("heard").asText()).isEqualTo("add a summary");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                    ledger.signals().messages(SCOPE, runId).get(0).status().equals("acked"));
            assertThat(ledger.signals().messages(SCOPE, runId).get(0).messageId()).isEqualTo(messageId);
        }
    }

    @Test
    void handlerEventsLandInTheLedgerInOrder() {
        String runId = trigger(3);
        try (Worker worker = Worker.builder(ledger).scope(SCOPE).pollWait(Duration.ofSeconds(1))
                .handle("echo", (ctx, input) -> {
                    for (int i = 0; i < 5; i++) {
                        ctx.outputDelta("chunk" + i);
                    }
                    ctx.log("done");
                    return Wire.MAPPER.createObjectNode().put("ok", true);
                }).build().start()) {
            assertThat(ledger.runs().await(SCOPE, runId, Duration.ofSeconds(10)).status()).isEqualTo(RunStatus.SUCCEEDED);
        }
        List<JsonNode> deltas = ledger.runs().events(SCOPE, runId, 0, 100).items().stream()
                .filter(e -> e.type().equals("output.delta")).map(RunEvent::data).toList();
        assertThat(deltas).extracting(d -> d.get("text").asText())
                .containsExactly("chunk0", "chunk1", "chunk2", "chunk3", "chunk4");
    }
}

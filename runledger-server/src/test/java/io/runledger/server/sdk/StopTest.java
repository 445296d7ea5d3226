package io.runledger.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.CancelResult;
import io.runledger.api.Run;
import io.runledger.api.RunStatus;
import io.runledger.client.RunLedgerClient;
import io.runledger.client.Worker;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.ServerTestBase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A cancel of a running run reaches the Java handler over HTTP within one heartbeat: with
 * a 3-second lease the worker beats every second, so the handler is interrupted at most
 * about a second after the cancel, and the run settles {@code cancelled}.
 */
class StopTest extends ServerTestBase {

    @Override
    protected String serviceSpec() {
        return "{\"maxAttempts\":3,\"leaseTtlSeconds\":3}";
    }

    @Test
    void aCancelInterruptsTheRunningHandlerWithinOneHeartbeat() throws Exception {
        RunLedgerClient client = RunLedgerClient.builder().url(server.server.url())
                .key(api.post(P + "/keys", null).json().get("key").asText()).build();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        AtomicLong interruptedAt = new AtomicLong();
        Worker worker = Worker.builder(client).scope(SCOPE).workerId("stoppable").pollWait(Duration.ofSeconds(1))
                .handle(SERVICE, (ctx, input) -> {
                    ctx.log("working");
                    running.countDown();
                    try {
                        // Busy until interrupted: nothing opens this latch, so only the stop
                        // (or, failing it, the worker's shutdown) ends the handler.
                        new CountDownLatch(1).await();
                        return null;
                    } catch (InterruptedException e) {
                        interruptedAt.set(System.nanoTime());
                        interrupted.countDown();
                        throw e;
                    }
                }).build().start();
        try {
            String runId = triggerRun();
            assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();

            long cancelledAt = System.nanoTime();
            CancelResult cancel = client.runs().cancel(SCOPE, runId, "no longer needed");
            assertThat(cancel.settled()).isFalse(); // 202: stop requested, the worker settles it
            assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
            long millis = TimeUnit.NANOSECONDS.toMillis(interruptedAt.get() - cancelledAt);
            System.out.println("stop: handler interrupted " + millis + " ms after the cancel");
            assertThat(millis).isBetween(0L, 1500L);

            Run run = client.runs().await(SCOPE, runId, Duration.ofSeconds(10));
            assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
            assertThat(run.attempt()).isEqualTo(1);
            List<String> types = client.runs().events(SCOPE, runId, 0, 100).items().stream().map(e -> e.type()).toList();
            assertThat(types).containsExactly("run.accepted", "run.started", "log", "run.stop_requested",
                    "run.cancelled");
            JsonNode view = run(runId);
            assertThat(view.get("stopRequestedAt").isNull()).isFalse();
        } finally {
            worker.close();
        }
        assertThat(TestDatabase.count("select count(*) from runs where status <> 'cancelled'")).isZero();
    }
}

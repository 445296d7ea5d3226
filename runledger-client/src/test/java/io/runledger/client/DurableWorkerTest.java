package io.runledger.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.Page;
import io.runledger.api.RetryPolicy;
import io.runledger.api.Run;
import io.runledger.api.RunEvent;
import io.runledger.api.RunFilter;
import io.runledger.api.RunStatus;
import io.runledger.api.ServiceSpec;
import io.runledger.api.TriggerRequest;
import io.runledger.client.internal.Wire;
import io.runledger.core.RunLedger;
import io.runledger.core.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Durable execution in the Worker SDK against the embedded engine: steps memoized across
 * attempts, waits that suspend the run and free the worker, child runs awaited.
 */
class DurableWorkerTest {
    private static final String SCOPE = "acme";
    /** Retries at once (well, after 50 ms), so a retry test does not wait out the default backoff. */
    private static final RetryPolicy QUICK_RETRY = new RetryPolicy(0.05, 0.05, 1.0, 0.0);
    private RunLedger ledger;

    @BeforeEach
    void open() {
        TestDatabase.truncate();
        ledger = TestDatabase.ledgerBuilder().backgroundLoops(true).sweepInterval(Duration.ofMillis(200))
                .queueInterval(Duration.ofMillis(100)).build();
        ledger.admin().scopePut(SCOPE);
        for (String service : List.of("flow", "child", "echo")) {
            ledger.admin().servicePut(SCOPE, service, new ServiceSpec(3, 2, null, null, null, QUICK_RETRY));
        }
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    private String trigger(String service, JsonNode input) {
        return ledger.runs().trigger(SCOPE, service, TriggerRequest.of(input)).runId();
    }

    private Worker.Builder worker() {
        return Worker.builder(ledger).scope(SCOPE).pollWait(Duration.ofSeconds(1));
    }

    private List<String> types(String runId) {
        return ledger.runs().events(SCOPE, runId, 0, 1000).items().stream().map(RunEvent::type).toList();
    }

    @Test
    void recordedStepsAreNotExecutedAgainOnARetry() {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        AtomicInteger third = new AtomicInteger();
        String runId = trigger("flow", Wire.MAPPER.createObjectNode().put("n", 5));
        try (Worker w = worker().handle("flow", (ctx, input) -> {
            JsonNode a = ctx.step("first", () -> Wire.MAPPER.createObjectNode().put("v", first.incrementAndGet()));
            JsonNode b = ctx.step("second:with/odd.chars-ok", () -> {
                second.incrementAndGet();
                return Wire.MAPPER.getNodeFactory().numberNode(a.get("v").asInt() + input.get("n").asInt());
            });
            if (ctx.attempt() == 1) {
                throw new IllegalStateException("crash after two steps");
            }
            JsonNode c = ctx.step("third", () -> {
                third.incrementAndGet();
                return null; // a null output is recorded (as JSON null) and not redone
            });
            return Wire.MAPPER.createObjectNode().put("sum", b.asInt()).put("thirdIsNull", c.isNull());
        }).build().start()) {
            Run run = ledger.runs().await(SCOPE, runId, Duration.ofSeconds(20));
            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.attempt()).isEqualTo(2);
            assertThat(run.output().get("sum").asInt()).isEqualTo(6);
            assertThat(run.output().get("thirdIsNull").asBoolean()).isTrue();
        }
        assertThat(first).hasValue(1);
        assertThat(second).hasValue(1);
        assertThat(third).hasValue(1);
        assertThat(ledger.runs().steps(SCOPE, runId, 0, 200).items()).extracting(s -> s.step())
                .containsExactly("first", "second:with/odd.chars-ok", "third");
    }

    @Test
    void sleepSuspendsTheRunAndTheHandlerGoesOnAfterIt() {
        AtomicInteger executions = new AtomicInteger();
        AtomicInteger sideEffects = new AtomicInteger();
        String runId = trigger("flow", Wire.MAPPER.createObjectNode());
        try (Worker w = worker().handle("flow", (ctx, input) -> {
            executions.incrementAndGet();
            ctx.step("before", () -> Wire.MAPPER.getNodeFactory().numberNode(sideEffects.incrementAndGet()));
            try {
                ctx.sleep("nap", Duration.ofMillis(500));
            } catch (Exception e) {
                // The usual catch-all of a handler must not stop the suspend from unwinding it.
                throw new AssertionError("a suspend must not be an Exception", e);
            }
            return Wire.MAPPER.createObjectNode().put("woke", true);
        }).build().start()) {
            Run run = ledger.runs().await(SCOPE, runId, Duration.ofSeconds(20));
            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.attempt()).isEqualTo(1);
            assertThat(run.output().get("woke").asBoolean()).isTrue();
        }
        assertThat(executions).hasValue(2);
        assertThat(sideEffects).hasValue(1);
        assertThat(types(runId)).contains("run.waiting", "run.resumed").doesNotContain("run.retrying", "run.failed");
    }

    @Test
    void aRunWaitingOnATokenFreesTheWorkerAndResumesWithTheCompletedData() throws Exception {
        BlockingQueue<WaitToken> tokens = new LinkedBlockingQueue<>();
        AtomicInteger executions = new AtomicInteger();
        String flowId = trigger("flow", Wire.MAPPER.createObjectNode());
        try (Worker w = worker().concurrency(1).handle("flow", (ctx, input) -> {
                    executions.incrementAndGet();
                    // One name for both, as docs/orchestration.md shows: a step and a wait are
                    // recorded apart.
                    WaitToken token = ctx.createToken("approval", Duration.ofMinutes(5));
                    tokens.add(token);
                    JsonNode decision = ctx.waitForToken("approval", token);
                    return Wire.MAPPER.createObjectNode().set("decision", decision);
                })
                .handle("echo", (ctx, input) -> input).build().start()) {
            WaitToken first = tokens.poll(20, TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            assertThat(first.callbackUrl()).as("the first creation shows the callback").isNotNull();
            assertThat(first.expiresAt()).isNotNull();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                    ledger.runs().get(SCOPE, flowId).status() == RunStatus.WAITING);

            // One handler slot, and the flow waits: another run still gets it.
            String echoId = trigger("echo", Wire.MAPPER.createObjectNode().put("hello", "world"));
            assertThat(ledger.runs().await(SCOPE, echoId, Duration.ofSeconds(10)).status())
                    .isEqualTo(RunStatus.SUCCEEDED);
            assertThat(ledger.runs().get(SCOPE, flowId).status()).isEqualTo(RunStatus.WAITING);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> w.inFlight() == 0);

            ledger.waitpoints().complete(SCOPE, first.waitpointId(), Wire.MAPPER.createObjectNode().put("ok", true));
            Run flow = ledger.runs().await(SCOPE, flowId, Duration.ofSeconds(20));
            assertThat(flow.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(flow.output().get("decision").get("ok").asBoolean()).isTrue();
            WaitToken replayed = tokens.poll(1, TimeUnit.SECONDS);
            assertThat(replayed.waitpointId()).isEqualTo(first.waitpointId());
            assertThat(replayed.callbackUrl()).as("the secret is never recorded").isNull();
            assertThat(flow.attempt()).isEqualTo(1);
        }
        assertThat(executions).hasValue(2);
        assertThat(ledger.runs().steps(SCOPE, flowId, 0, 200).items().get(0).output().has("callbackUrl")).isFalse();
    }

    @Test
    void triggerAndWaitAwaitsEveryChildWithFewerSlotsThanRuns() {
        AtomicInteger childExecutions = new AtomicInteger();
        AtomicInteger parentExecutions = new AtomicInteger();
        String parentId = trigger("flow", Wire.MAPPER.createObjectNode());
        // Three slots for one parent and five children: only a parent that frees its slot
        // while waiting lets them all run.
        try (Worker w = worker().concurrency(3)
                .handle("flow", (ctx, input) -> {
                    parentExecutions.incrementAndGet();
                    List<JsonNode> inputs = new ArrayList<>();
                    for (int i = 0; i < 5; i++) {
                        inputs.add(Wire.MAPPER.createObjectNode().put("n", i));
                    }
                    List<ChildOutcome> outcomes = ctx.triggerAndWait("fan-out", "child", inputs);
                    var out = Wire.MAPPER.createObjectNode();
                    var values = out.putArray("values");
                    outcomes.forEach(o -> values.add(o.output().get("tenfold").asInt()));
                    out.put("allSucceeded", outcomes.stream().allMatch(ChildOutcome::succeeded));
                    return out;
                })
                .handle("child", (ctx, input) -> {
                    // Children finish only once the parent waits, so the parent really suspends
                    // (were they all done first, its suspend would answer at once).
                    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                            ledger.runs().get(SCOPE, parentId).status() == RunStatus.WAITING);
                    childExecutions.incrementAndGet();
                    return Wire.MAPPER.createObjectNode().put("tenfold", input.get("n").asInt() * 10);
                }).build().start()) {
            Run parent = ledger.runs().await(SCOPE, parentId, Duration.ofSeconds(30));
            assertThat(parent.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(parent.output().get("allSucceeded").asBoolean()).isTrue();
            assertThat(parent.output().get("values")).extracting(JsonNode::asInt)
                    .containsExactly(0, 10, 20, 30, 40);
        }
        Page<Run> children = ledger.runs().list(SCOPE, RunFilter.all().withParentRunId(parentId));
        assertThat(children.items()).hasSize(5).allMatch(r -> r.status() == RunStatus.SUCCEEDED)
                .allMatch(r -> parentId.equals(r.rootRunId()));
        assertThat(childExecutions).hasValue(5);
        assertThat(parentExecutions).hasValue(2);
    }

    @Test
    void aWaitOnATokenCompletedAlreadyGoesOnUnderTheSameLease() {
        AtomicInteger executions = new AtomicInteger();
        String runId = trigger("flow", Wire.MAPPER.createObjectNode());
        try (Worker w = worker().handle("flow", (ctx, input) -> {
            executions.incrementAndGet();
            WaitToken token = ctx.createToken("token", null);
            ledger.waitpoints().complete(SCOPE, token.waitpointId(), Wire.MAPPER.createObjectNode().put("early", 1));
            return ctx.waitForToken("wait", token);
        }).build().start()) {
            Run run = ledger.runs().await(SCOPE, runId, Duration.ofSeconds(20));
            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.output().get("early").asInt()).isEqualTo(1);
        }
        assertThat(executions).hasValue(1);
        assertThat(types(runId)).doesNotContain("run.waiting");
    }

    @Test
    void aTokenThatTimesOutEndsTheWaitWithWaitTimeoutException() {
        String runId = trigger("flow", Wire.MAPPER.createObjectNode());
        try (Worker w = worker().handle("flow", (ctx, input) -> {
            WaitToken token = ctx.createToken("token", Duration.ofSeconds(1));
            try {
                ctx.waitForToken("wait", token);
                return Wire.MAPPER.createObjectNode().put("timedOut", false);
            } catch (WaitTimeoutException e) {
                return Wire.MAPPER.createObjectNode().put("timedOut", true).put("step", e.step());
            }
        }).build().start()) {
            Run run = ledger.runs().await(SCOPE, runId, Duration.ofSeconds(20));
            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.output().get("timedOut").asBoolean()).isTrue();
            assertThat(run.output().get("step").asText()).isEqualTo("wait");
        }
    }

    @Test
    void stepsBeyondWhatALeaseCarriesAreReadBeforeAStepRunsAgain() {
        // Five outputs of ~900 KB: more than the steps one lease carries (4 MiB), so the
        // retry's lease is incomplete and the last ones are read from GET .../steps.
        String big = "x".repeat(900 * 1024);
        AtomicInteger executed = new AtomicInteger();
        String runId = trigger("flow", Wire.MAPPER.createObjectNode());
        try (Worker w = worker().handle("flow", (ctx, input) -> {
            int length = 0;
            for (int i = 0; i < 6; i++) {
                length += ctx.step("big-" + i, () -> {
                    executed.incrementAndGet();
                    return Wire.MAPPER.getNodeFactory().textNode(big);
                }).asText().length();
            }
            if (ctx.attempt() == 1) {
                throw new IllegalStateException("crash after the steps");
            }
            return Wire.MAPPER.createObjectNode().put("length", length);
        }).build().start()) {
            Run run = ledger.runs().await(SCOPE, runId, Duration.ofSeconds(30));
            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.attempt()).isEqualTo(2);
            assertThat(run.output().get("length").asInt()).isEqualTo(6 * big.length());
        }
        assertThat(executed).hasValue(6);
    }

    @Test
    void aHandlerThatSwallowsTheSuspendIsStillNotReported() {
        AtomicInteger executions = new AtomicInteger();
        String runId = trigger("flow", Wire.MAPPER.createObjectNode());
        try (Worker w = worker().handle("flow", (ctx, input) -> {
            executions.incrementAndGet();
            try {
                ctx.sleep("nap", Duration.ofMillis(300));
            } catch (Throwable t) {
                return Wire.MAPPER.createObjectNode().put("swallowed", true); // must not settle the run
            }
            return Wire.MAPPER.createObjectNode().put("swallowed", false);
        }).build().start()) {
            Run run = ledger.runs().await(SCOPE, runId, Duration.ofSeconds(20));
            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.output().get("swallowed").asBoolean()).isFalse();
        }
        assertThat(executions).hasValue(2);
    }
}

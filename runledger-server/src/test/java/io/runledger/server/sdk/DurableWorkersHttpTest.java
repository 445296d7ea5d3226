package io.runledger.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.runledger.api.RunStatus;
import io.runledger.client.ChildOutcome;
import io.runledger.client.RunLedgerClient;
import io.runledger.client.WaitToken;
import io.runledger.client.Worker;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Java SDK's waits against the real server: a human approval through the token's
 * callback URL (no key), resumed on another worker; a parent waiting on 20 children on a
 * worker of one slot, which only works because a waiting parent holds none.
 */
class DurableWorkersHttpTest extends ServerTestBase {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final List<Worker> workers = new ArrayList<>();
    private RunLedgerClient client;

    @BeforeEach
    void client() {
        String key = api.post(P + "/keys", null).json().get("key").asText();
        client = RunLedgerClient.builder().url(server.server.url()).key(key).build();
        assertThat(api.put(P + "/services/children", "{\"maxAttempts\":3,\"leaseTtlSeconds\":30}").status())
                .isEqualTo(200);
    }

    @AfterEach
    void stopWorkers() {
        workers.forEach(Worker::close);
    }

    private Worker worker(String id, int concurrency, Worker.Builder builder) {
        Worker w = builder.scope(SCOPE).workerId(id).concurrency(concurrency).pollWait(Duration.ofSeconds(1))
                .build().start();
        workers.add(w);
        return w;
    }

    @Test
    void anApprovalThroughTheCallbackUrlResumesTheRunOnAnotherWorker() throws Exception {
        BlockingQueue<String> callbackUrls = new ArrayBlockingQueue<>(4);
        AtomicInteger quick = new AtomicInteger();
        Worker first = worker("first", 1, Worker.builder(client)
                .handle(SERVICE, (ctx, input) -> {
                    if (input.path("quick").asBoolean()) {
                        quick.incrementAndGet();
                        return JSON.objectNode().put("quick", true);
                    }
                    WaitToken token = ctx.createToken("approval", Duration.ofHours(1));
                    if (token.callbackUrl() != null) {
                        callbackUrls.add(token.callbackUrl());
                    }
                    JsonNode decision = ctx.waitForToken("approval", token);
                    return JSON.objectNode().set("decision", decision);
                }));
        String runId = triggerRun();
        String url = callbackUrls.poll(30, TimeUnit.SECONDS);
        assertThat(url).startsWith(server.server.url() + "/v1/callbacks/");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> status(runId).equals("waiting"));
        JsonNode waiting = run(runId);
        assertThat(waiting.get("leaseExpiresAt").isNull()).isTrue();
        // the waiting run holds no slot: the one-slot worker takes another run meanwhile
        String other = trigger("{\"input\":{\"quick\":true}}").json().get("runId").asText();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> status(other).equals("succeeded"));
        assertThat(first.inFlight()).isZero();
        first.close();

        worker("second", 1, Worker.builder(client).handle(SERVICE, (ctx, input) -> {
            WaitToken token = ctx.createToken("approval", Duration.ofHours(1));
            assertThat(token.callbackUrl()).isNull(); // replayed: the secret is shown only once
            return JSON.objectNode().set("decision", ctx.waitForToken("approval", token));
        }));
        HttpResponse<String> approved = post(url, "{\"approved\":true,\"by\":\"ada\"}");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> status(runId).equals("succeeded"));
        JsonNode done = run(runId);
        assertThat(done.get("workerId").asText()).isEqualTo("second");
        assertThat(done.get("attempt").asInt()).isEqualTo(1);
        assertThat(done.get("output").get("decision").get("by").asText()).isEqualTo("ada");
        HttpResponse<String> again = post(url, "{\"approved\":false}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(Http.JSON.readTree(again.body()).get("code").asText()).isEqualTo("waitpoint_already_completed");
        assertThat(post(url, "{\"approved\":true,\"by\":\"ada\"}").statusCode()).isEqualTo(200);
        assertThat(types(runId)).containsExactly("run.accepted", "run.started", "step.completed", "run.waiting",
                "run.resumed", "run.started", "run.succeeded");
    }

    @Test
    void aParentWaitsOnTwentyChildrenWithoutHoldingASlotAndTriggersNoneTwice() {
        AtomicInteger parentExecutions = new AtomicInteger();
        AtomicInteger childExecutions = new AtomicInteger();
        // One slot: a parent that held its slot while waiting would wait for ever, since its
        // children could never run; and no child runs before the parent suspends.
        worker("pool", 1, Worker.builder(client)
                .handle(SERVICE, (ctx, input) -> {
                    parentExecutions.incrementAndGet();
                    List<JsonNode> inputs = IntStream.range(0, 20)
                            .mapToObj(i -> (JsonNode) JSON.objectNode().put("i", i)).toList();
                    List<ChildOutcome> outcomes = ctx.triggerAndWait("fan-out", "children", inputs);
                    int sum = 0;
                    for (ChildOutcome o : outcomes) {
                        assertThat(o.status()).isEqualTo(RunStatus.SUCCEEDED);
                        sum += o.output().get("twice").asInt();
                    }
                    return JSON.objectNode().put("sum", sum).put("children", outcomes.size());
                })
                .handle("children", (ctx, input) -> {
                    childExecutions.incrementAndGet();
                    return JSON.objectNode().put("twice", input.get("i").asInt() * 2);
                }));
        String parent = triggerRun();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> status(parent).equals("succeeded"));
        assertThat(run(parent).get("output").get("sum").asInt()).isEqualTo(2 * (19 * 20 / 2));
        assertThat(run(parent).get("output").get("children").asInt()).isEqualTo(20);
        assertThat(TestDatabase.count("select count(*) from runs where parent_run_id = '" + parent + "'"))
                .isEqualTo(20);
        assertThat(childExecutions.get()).isEqualTo(20);
        assertThat(parentExecutions.get()).isEqualTo(2); // before the wait, and once resumed
        List<String> types = types(parent);
        assertThat(types.stream().filter(t -> t.equals("run.waiting"))).hasSize(1);
        assertThat(types.stream().filter(t -> t.equals("run.resumed"))).hasSize(1);
        JsonNode children = api.get(P + "/runs?parentRunId=" + parent + "&limit=50").json().get("items");
        assertThat(children).hasSize(20);
        children.forEach(c -> assertThat(c.get("rootRunId").asText()).isEqualTo(parent));
    }

    private static String status(String runId) {
        return run(runId).get("status").asText();
    }

    private static List<String> types(String runId) {
        return api.get(P + "/runs/" + runId + "/events?limit=500").json().findValuesAsText("type");
    }

    private static HttpResponse<String> post(String url, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}

package io.runledger.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.runledger.api.ConflictException;
import io.runledger.api.Lease;
import io.runledger.api.LeaseRequest;
import io.runledger.api.NewWaitpoint;
import io.runledger.api.OnTimeout;
import io.runledger.api.Page;
import io.runledger.api.Receipt;
import io.runledger.api.RetryPolicy;
import io.runledger.api.Run;
import io.runledger.api.RunError;
import io.runledger.api.StepRecord;
import io.runledger.api.SuspendRequest;
import io.runledger.api.SuspendResult;
import io.runledger.api.TriggerRequest;
import io.runledger.api.WaitpointCreate;
import io.runledger.api.WaitpointKind;
import io.runledger.api.WaitpointRef;
import io.runledger.api.WaitpointStatus;
import io.runledger.client.RunLedgerClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The orchestration calls of the HTTP client against a scripted HTTP server: which method,
 * path and body each sends, and how each answer is read. (The real server's routes are tested
 * in runledger-server against this client.)
 */
class HttpOrchestrationTest {
    private static final String RUN_JSON = """
            {"runId":"run_1","scope":"acme","service":"flow","status":"running","attempt":1,"maxAttempts":3,
             "tags":[],"lastSeq":4,"createdAt":"2026-11-26T05:00:00.000000Z","rootRunId":"run_0","replayOf":"run_9"}""";
    private static final String WAITPOINT_JSON = """
            {"waitpointId":"wp_1","scope":"acme","kind":"token","status":"pending","data":null,"runId":"run_1",
             "targetRunId":null,"targetBatchId":null,"resumeAt":null,"expiresAt":"2026-11-26T06:00:00.000000Z",
             "idempotencyKey":"run_1/approve","tags":["a"],"createdAt":"2026-11-26T05:00:00.000000Z",
             "completedAt":null""";

    /** What the server saw of one request. */
    private record Seen(String method, String rawPath, String rawQuery, JsonNode body) {
    }

    /** An answer to give: status, body, and whether it says {@code Idempotent-Replayed}. */
    private record Canned(int status, String body, boolean replayed) {
    }

    private HttpServer server;
    private final Deque<Canned> answers = new ArrayDeque<>();
    private final Deque<Seen> seen = new ArrayDeque<>();
    private RunLedgerClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] in = exchange.getRequestBody().readAllBytes();
            String text = new String(in, StandardCharsets.UTF_8);
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), text.isEmpty() ? null : Wire.MAPPER.readTree(text)));
            Canned canned = answers.removeFirst();
            byte[] out = canned.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type",
                    canned.status() >= 400 ? "application/problem+json" : "application/json");
            if (canned.replayed()) {
                exchange.getResponseHeaders().add("Idempotent-Replayed", "true");
            }
            exchange.sendResponseHeaders(canned.status(), out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
        client = RunLedgerClient.builder().url("http://127.0.0.1:" + server.getAddress().getPort()).key("k")
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    private void answer(int status, String body) {
        answers.add(new Canned(status, body, false));
    }

    private static JsonNode json(String text) throws IOException {
        return Wire.MAPPER.readTree(text);
    }

    @Test
    void aStepNameIsOneEncodedPathSegment() throws Exception {
        answer(200, """
                {"step":"a/b:c","output":{"x":1},"attempt":2,"seq":7,"createdAt":"2026-11-26T05:00:00.000000Z",
                 "replayed":true}""");
        StepRecord step = client.workers().stepRecord("acme", "run_1", "a/b:c", "tok", json("{\"x\":2}"));
        Seen request = seen.removeFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.rawPath()).isEqualTo("/v1/scopes/acme/runs/run_1/steps/a%2Fb%3Ac");
        assertThat(request.body()).isEqualTo(json("{\"leaseToken\":\"tok\",\"output\":{\"x\":2}}"));
        assertThat(step).isEqualTo(new StepRecord("a/b:c", json("{\"x\":1}"), 2, 7,
                Instant.parse("2026-11-26T05:00:00Z"), true));
    }

    @Test
    void stepPagesTurnNextAfterIntoADecimalCursor() throws Exception {
        answer(200, """
                {"items":[{"step":"s","output":null,"attempt":1,"seq":42,"createdAt":"2026-11-26T05:00:00.000000Z"}],
                 "nextAfter":42}""");
        answer(200, "{\"items\":[],\"nextAfter\":null}");
        Page<StepRecord> page = client.runs().steps("acme", "run_1", 5, 1);
        assertThat(page.nextCursor()).isEqualTo("42");
        assertThat(page.items().get(0).output().isNull()).isTrue();
        assertThat(client.runs().steps("acme", "run_1", 42, 1).nextCursor()).isNull();
        assertThat(seen.removeFirst().rawQuery()).contains("after=5").contains("limit=1");
    }

    @Test
    void aSuspendSendsItsWaitpointsAndReadsTheResults() throws Exception {
        answer(200, """
                {"suspended":false,"results":[{"waitpointId":"wp_2","kind":"run","status":"completed",
                 "data":{"runId":"run_2","status":"succeeded","output":5,"error":null}}]}""");
        SuspendResult result = client.workers().suspend("acme", "run_1", new SuspendRequest("tok", "wait",
                List.of(WaitpointRef.duration(1.5), WaitpointRef.until(Instant.parse("2026-11-26T06:00:00Z")),
                        WaitpointRef.token("wp_1"), WaitpointRef.run("run_2"), WaitpointRef.batch("b_1")),
                30L, OnTimeout.FAIL));
        Seen request = seen.removeFirst();
        assertThat(request.rawPath()).isEqualTo("/v1/scopes/acme/runs/run_1/suspend");
        assertThat(request.body()).isEqualTo(json("""
                {"leaseToken":"tok","step":"wait","waitpoints":[{"kind":"duration","seconds":1.5},
                 {"kind":"duration","until":"2026-11-26T06:00:00.000000Z"},{"kind":"token","waitpointId":"wp_1"},
                 {"kind":"run","runId":"run_2"},{"kind":"batch","batchId":"b_1"}],
                 "timeoutSeconds":30,"onTimeout":"fail"}"""));
        assertThat(result.suspended()).isFalse();
        assertThat(result.results().get(0).kind()).isEqualTo(WaitpointKind.RUN);
        assertThat(result.results().get(0).status()).isEqualTo(WaitpointStatus.COMPLETED);
        assertThat(result.results().get(0).data().get("output").asInt()).isEqualTo(5);
    }

    @Test
    void aLeaseCarriesStepsAndResumeResults() throws Exception {
        answer(200, """
                {"leases":[{"runId":"run_1","service":"flow","input":{},"attempt":1,"leaseToken":"tok",
                 "leaseExpiresAt":"2026-11-26T05:00:30.000000Z","steps":{"one":1,"none":null},
                 "resumed":{"nap":[{"waitpointId":"wp_3","kind":"duration","status":"completed","data":null}]},
                 "stepsComplete":false},
                 {"runId":"run_2","service":"flow","input":{},"attempt":1,"leaseToken":"tok2",
                 "leaseExpiresAt":"2026-11-26T05:00:30.000000Z"}]}""");
        List<Lease> leases = client.workers().lease("acme", new LeaseRequest("w", List.of("flow"), 2,
                Duration.ZERO, null, null));
        Lease lease = leases.get(0);
        assertThat(lease.steps()).containsOnlyKeys("one", "none");
        assertThat(lease.steps().get("none").isNull()).isTrue();
        assertThat(lease.resumed().get("nap").get(0).waitpointId()).isEqualTo("wp_3");
        assertThat(lease.stepsComplete()).isFalse();
        assertThat(leases.get(1).steps()).isEmpty();
        assertThat(leases.get(1).stepsComplete()).isTrue();
    }

    @Test
    void aRunCarriesItsRootAndWhatItReplays() {
        answer(200, RUN_JSON);
        Run run = client.runs().get("acme", "run_1");
        assertThat(run.rootRunId()).isEqualTo("run_0");
        assertThat(run.replayOf()).isEqualTo("run_9");
    }

    @Test
    void failCarriesRetryAfterSecondsAndCancelSendsCascadeOnlyWhenOff() throws Exception {
        answer(200, RUN_JSON);
        answer(202, RUN_JSON);
        answer(202, RUN_JSON);
        client.workers().fail("acme", "run_1", "tok", RunError.of("x", "y"), true, 0.0);
        assertThat(seen.removeFirst().body().get("retryAfterSeconds").asDouble()).isEqualTo(0.0);
        client.runs().cancel("acme", "run_1", "stop");
        assertThat(seen.removeFirst().body()).isEqualTo(json("{\"reason\":\"stop\"}"));
        client.runs().cancel("acme", "run_1", null, false);
        assertThat(seen.removeFirst().body()).isEqualTo(json("{\"cascade\":false}"));
    }

    @Test
    void childrenAndReplaysAnswerReceipts() throws Exception {
        String receipt = """
                {"runId":"run_2","scope":"acme","service":"child","status":"accepted","commandId":"run_1/kid",
                 "correlationId":null,"createdAt":"2026-11-26T05:00:00.000000Z"}""";
        answers.add(new Canned(200, receipt, true));
        answer(202, receipt);
        Receipt child = client.workers().triggerChild("acme", "run_1", "tok", "kid", "child",
                TriggerRequest.builder().input(json("{\"n\":1}")).retry(new RetryPolicy(2.0, null, null, null))
                        .build());
        assertThat(child.replayed()).isTrue();
        Seen request = seen.removeFirst();
        assertThat(request.rawPath()).isEqualTo("/v1/scopes/acme/runs/run_1/children");
        assertThat(request.body()).isEqualTo(json("""
                {"input":{"n":1},"retry":{"initialDelaySeconds":2.0},"leaseToken":"tok","step":"kid",
                 "service":"child"}"""));
        Receipt replay = client.runs().replay("acme", "run_1", null, json("{\"why\":\"again\"}"));
        assertThat(replay.replayed()).isFalse();
        request = seen.removeFirst();
        assertThat(request.rawPath()).isEqualTo("/v1/scopes/acme/runs/run_1/replay");
        assertThat(request.body()).isEqualTo(json("{\"metadata\":{\"why\":\"again\"}}"));
    }

    @Test
    void waitpointsAreCreatedCompletedAndReadOverHttp() throws Exception {
        answer(201, WAITPOINT_JSON + ",\"callbackUrl\":\"http://h:1/v1/callbacks/s3cr3t\"}");
        answer(200, WAITPOINT_JSON + "}");
        NewWaitpoint created = client.waitpoints().create("acme", new WaitpointCreate(60L, "run_1/approve",
                List.of("a"), "run_1"));
        assertThat(created.replayed()).isFalse();
        assertThat(created.callbackUrl()).isEqualTo("http://h:1/v1/callbacks/s3cr3t");
        assertThat(created.waitpoint().kind()).isEqualTo(WaitpointKind.TOKEN);
        assertThat(created.waitpoint().tags()).containsExactly("a");
        assertThat(seen.removeFirst().body()).isEqualTo(json("""
                {"timeoutSeconds":60,"idempotencyKey":"run_1/approve","tags":["a"],"runId":"run_1"}"""));
        NewWaitpoint again = client.waitpoints().create("acme", WaitpointCreate.token());
        assertThat(again.replayed()).isTrue();
        assertThat(again.callbackUrl()).isNull();
        seen.removeFirst();

        answer(200, WAITPOINT_JSON.replace("pending", "completed") + "}");
        client.waitpoints().completeByCallback("s3cr3t", json("{\"ok\":true}"));
        Seen callback = seen.removeFirst();
        assertThat(callback.rawPath()).isEqualTo("/v1/callbacks/s3cr3t");
        assertThat(callback.body()).isEqualTo(json("{\"ok\":true}"));

        answer(409, """
                {"type":"about:blank","title":"Conflict","status":409,"code":"waitpoint_already_completed",
                 "detail":"waitpoint 'wp_1' is completed with other data","waitpointStatus":"completed","x":null}""");
        assertThatThrownBy(() -> client.waitpoints().complete("acme", "wp_1", json("{\"ok\":false}")))
                .isInstanceOfSatisfying(ConflictException.class, e -> {
                    assertThat(e.code()).isEqualTo("waitpoint_already_completed");
                    assertThat(e.details()).containsEntry("waitpointStatus", "completed");
                });
        assertThat(seen.removeFirst().rawPath()).isEqualTo("/v1/scopes/acme/waitpoints/wp_1/complete");
    }
}

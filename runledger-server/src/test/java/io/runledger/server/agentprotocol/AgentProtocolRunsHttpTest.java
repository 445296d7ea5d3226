package io.runledger.server.agentprotocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.core.testing.WebhookReceiver;
import io.runledger.server.testing.Http;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Protocol runs over real runs: created on a thread's concurrency key (200 with the Run), their
 * ledger streamed as protocol parts that resume by id, multitask strategies as onConflict,
 * interrupts as token waitpoints, waits, cancels and deletes.
 */
class AgentProtocolRunsHttpTest extends ApTestBase {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @Test
    void aRunIsATriggerOnItsThreadsKeyAnsweredWithTheRunJson() {
        String thread = newThread().get("thread_id").asText();
        Http.Reply r = ap.post("/threads/" + thread + "/runs", "{\"assistant_id\":\"work\",\"input\":{\"q\":1},"
                + "\"config\":{\"configurable\":{\"model\":\"m\"}},\"context\":{\"user\":\"ann\"},"
                + "\"metadata\":{\"source\":\"test\"},\"stream_mode\":[\"values\",\"custom\"],\"stream_resumable\":true,"
                + "\"durability\":\"sync\",\"feedback_keys\":null,\"interrupt_before\":null}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode run = r.json();
        String runId = run.get("run_id").asText();
        assertThat(r.header("Content-Location")).isEqualTo("/threads/" + thread + "/runs/" + runId);
        assertThat(run.get("thread_id").asText()).isEqualTo(thread);
        assertThat(run.get("assistant_id").asText()).isEqualTo("work");
        assertThat(run.get("status").asText()).isEqualTo("pending");
        assertThat(run.get("multitask_strategy").asText()).isEqualTo("reject");
        assertThat(run.get("metadata").get("source").asText()).isEqualTo("test");

        // the worker gets the request in its input; the run holds the thread's key
        JsonNode lease = lease();
        JsonNode input = lease.get("input");
        assertThat(input.get("input").get("q").asInt()).isEqualTo(1);
        assertThat(input.get("config").get("configurable").get("model").asText()).isEqualTo("m");
        assertThat(input.get("context").get("user").asText()).isEqualTo("ann");
        assertThat(input.get("thread_id").asText()).isEqualTo(thread);
        assertThat(input.get("command").isNull()).isTrue();
        assertThat(run(runId).get("concurrencyKey").asText()).startsWith("thread:" + thread + ":");
        assertThat(runStatus(thread, runId)).isEqualTo("running");
        assertThat(ap.get("/threads/" + thread).json().get("status").asText()).isEqualTo("busy");

        complete(lease, "{\"answer\":42}");
        assertThat(runStatus(thread, runId)).isEqualTo("success");
        JsonNode t = ap.get("/threads/" + thread).json();
        assertThat(t.get("status").asText()).isEqualTo("idle");
        assertThat(t.get("values").get("answer").asInt()).isEqualTo(42);
        JsonNode state = ap.get("/threads/" + thread + "/state").json();
        assertThat(state.get("values").get("answer").asInt()).isEqualTo(42);
        assertThat(state.get("next")).isEmpty();
        assertThat(state.get("checkpoint").get("checkpoint_id").asText()).isEqualTo(runId);
        assertThat(ap.get("/threads/" + thread + "/state/" + runId).json().get("values").get("answer").asInt())
                .isEqualTo(42);
        assertThat(ap.post("/threads/" + thread + "/history", "{\"limit\":5}").json()).hasSize(1);
        assertThat(ap.get("/threads/" + thread + "/runs/" + runId + "/join").json().get("answer").asInt())
                .isEqualTo(42);
        assertThat(ap.get("/threads/" + thread + "/runs").json()).extracting(x -> x.get("run_id").asText())
                .containsExactly(runId);
        assertThat(ap.get("/threads/" + thread + "/runs?status=error").json()).isEmpty();
        // a run of another thread is not this thread's
        String other = newThread().get("thread_id").asText();
        assertThat(ap.get("/threads/" + other + "/runs/" + runId).code()).isEqualTo("run_not_found");

        // without a thread: no key, no thread
        Http.Reply stateless = ap.post("/runs", "{\"assistant_id\":\"work\",\"input\":null}");
        assertThat(stateless.status()).isEqualTo(200);
        assertThat(stateless.json().get("thread_id").isNull()).isTrue();
        assertThat(stateless.header("Content-Location")).isEqualTo("/runs/" + stateless.json().get("run_id").asText());
        assertThat(run(stateless.json().get("run_id").asText()).get("concurrencyKey").isNull()).isTrue();
        // if_not_exists: create makes the thread on the way
        String fresh = "0190f3a8-5b2c-7d3e-8f40-000000000001";
        assertThat(ap.post("/threads/" + fresh + "/runs", "{\"assistant_id\":\"work\"}").code())
                .isEqualTo("thread_not_found");
        assertThat(ap.post("/threads/" + fresh + "/runs", "{\"assistant_id\":\"work\",\"if_not_exists\":\"create\"}")
                .status()).isEqualTo(200);
        assertThat(ap.get("/threads/" + fresh).json().get("status").asText()).isEqualTo("busy");
    }

    @Test
    void badRunRequestsAreRefusedWithTheirCodesAndWriteNothing() {
        String thread = newThread().get("thread_id").asText();
        String runs = "/threads/" + thread + "/runs";
        Map<String, String> refusals = new java.util.LinkedHashMap<>();
        refusals.put("{}", "invalid_argument");
        refusals.put("{\"assistant_id\":\"nope\"}", "service_not_found");
        refusals.put("{\"assistant_id\":\"Bad Name\"}", "invalid_name");
        refusals.put("{\"assistant_id\":\"work\",\"colour\":1}", "unknown_field");
        refusals.put("{\"assistant_id\":\"work\",\"interrupt_before\":[\"a\"]}", "invalid_argument");
        refusals.put("{\"assistant_id\":\"work\",\"checkpoint_id\":\"c\"}", "invalid_argument");
        refusals.put("{\"assistant_id\":\"work\",\"webhook\":\"http://10.1.2.3/hook\"}", "invalid_argument");
        refusals.put("{\"assistant_id\":\"work\",\"webhook\":\"ftp://example.com/\"}", "invalid_argument");
        refusals.put("{\"assistant_id\":\"work\",\"multitask_strategy\":\"sometimes\"}", "invalid_argument");
        refusals.put("{\"assistant_id\":\"work\",\"stream_mode\":\"telepathy\"}", "invalid_argument");
        refusals.put("{\"assistant_id\":\"work\",\"after_seconds\":-1}", "invalid_argument");
        refusals.put("{\"assistant_id\":\"work\",\"on_completion\":\"keep\"}", "invalid_argument");
        refusals.put("{\"assistant_id\":\"work\",\"command\":{\"goto\":\"x\"}}", "invalid_argument");
        refusals.put("{\"assistant_id\":\"work\",\"command\":{\"resume\":1},\"input\":{}}", "invalid_argument");
        refusals.put("{\"assistant_id\":\"work\",\"command\":{\"resume\":1}}", "thread_not_interrupted");
        refusals.put("{\"assistant_id\":\"work\",\"metadata\":[1]}", "invalid_argument");
        refusals.put("{\"assistant_id\":\"work\",\"input\":\"" + "x".repeat(1_100_000) + "\"}", "payload_too_large");
        refusals.forEach((body, code) -> {
            Http.Reply r = ap.post(runs, body);
            assertThat(r.code()).as(body.length() > 200 ? body.substring(0, 200) : body).isEqualTo(code);
            assertThat(r.status()).isBetween(400, 499);
        });
        assertThat(ap.post("/runs", "{\"assistant_id\":\"work\",\"if_not_exists\":\"create\"}").code())
                .isEqualTo("invalid_argument");
        assertThat(ap.post("/runs", "{\"assistant_id\":\"work\",\"command\":{\"resume\":1}}").code())
                .isEqualTo("invalid_argument");
        assertThat(ap.post("/runs/batch", "{}").code()).isEqualTo("invalid_argument");
        assertThat(ap.post("/runs/batch", "[{\"assistant_id\":\"work\"},{\"assistant_id\":\"nope\"}]").code())
                .isEqualTo("service_not_found");
        assertThat(ap.post("/runs/stream", "{\"assistant_id\":\"nope\"}").code()).isEqualTo("service_not_found");
        assertThat(ap.get("/threads/" + thread + "/runs/run_nope").code()).isEqualTo("run_not_found");
        assertThat(ap.get("/threads/" + thread + "/runs/run_nope/stream").code()).isEqualTo("run_not_found");
        assertThat(ap.get("/threads/" + thread + "/runs?limit=0").code()).isEqualTo("invalid_argument");
        assertThat(count("runs")).isZero();
        assertThat(count("threads")).isEqualTo(1);

        String ok = createRun(thread, "{\"assistant_id\":\"work\"}").get("run_id").asText();
        ApClient.OpenStream live = ap.open("GET", "/threads/" + thread + "/runs/" + ok + "/stream", null, Map.of());
        assertThat(live.response.statusCode()).isEqualTo(200);
        live.close();
        assertThat(ap.send("GET", "/threads/" + thread + "/runs/" + ok + "/stream", null,
                header("Last-Event-ID", "banana")).code()).isEqualTo("invalid_argument");
        assertThat(ap.post("/threads/" + thread + "/runs/" + ok + "/cancel?action=explode", null).code())
                .isEqualTo("invalid_argument");
        assertThat(ap.get("/threads/" + thread + "/runs?status=sleeping").code()).isEqualTo("invalid_argument");
    }

    @Test
    void aRunsStreamIsItsLedgerAsProtocolPartsResumableByTheirIds() throws Exception {
        String thread = newThread().get("thread_id").asText();
        ApClient.OpenStream s = ap.open("POST", "/threads/" + thread + "/runs/stream",
                "{\"assistant_id\":\"work\",\"input\":{},\"stream_mode\":[\"values\",\"updates\",\"messages-tuple\","
                        + "\"custom\"]}", Map.of());
        assertThat(s.response.statusCode()).isEqualTo(200);
        assertThat(s.response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        String location = s.response.headers().firstValue("Location").orElseThrow();
        String contentLocation = s.response.headers().firstValue("Content-Location").orElseThrow();
        assertThat(location).isEqualTo(contentLocation + "/stream").startsWith("/threads/" + thread + "/runs/run_");
        JsonNode lease = lease();
        String runId = lease.get("runId").asText();
        assertThat(contentLocation).endsWith(runId);
        emit(lease, "output.delta", "{\"text\":\"Hel\"}");
        emit(lease, "output.delta", "{\"text\":\"lo\",\"id\":\"m1\"}");
        emit(lease, "custom.values", "{\"messages\":[\"Hello\"]}");
        emit(lease, "custom.updates", "{\"agent\":{\"n\":1}}");
        emit(lease, "progress", "{\"pct\":50}");
        emit(lease, "custom.tool", "{\"calling\":\"search\"}");
        emit(lease, "custom.messages", "[{\"type\":\"ai\",\"content\":\"done\",\"id\":\"m2\"},{\"langgraph_node\":\"agent\"}]");
        complete(lease, "{\"messages\":[\"Hello\",\"done\"]}");
        s.reader.join(PATIENCE);
        assertThat(s.ended).isTrue();
        assertThat(s.events()).containsExactly("metadata", "messages", "messages", "values", "updates", "custom",
                "messages", "values", "end");
        // ids are the ledger's seqs (run.started and progress are seq 2 and 8 and send nothing);
        // the run's output and the end come from one event, the first as <seq>:0
        assertThat(s.ids()).containsExactly("1", "3", "4", "5", "6", "8", "9", "10:0", "10");
        List<ApClient.Part> parts = s.parts;
        assertThat(parts.get(0).data().get("run_id").asText()).isEqualTo(runId);
        assertThat(parts.get(0).data().get("thread_id").asText()).isEqualTo(thread);
        JsonNode chunk = parts.get(1).data();
        assertThat(chunk.get(0).get("type").asText()).isEqualTo("AIMessageChunk");
        assertThat(chunk.get(0).get("content").asText()).isEqualTo("Hel");
        assertThat(chunk.get(0).get("id").asText()).isEqualTo("run-" + runId);
        assertThat(chunk.get(1).get("run_id").asText()).isEqualTo(runId);
        assertThat(chunk.get(1).get("tags").isArray()).isTrue();
        assertThat(parts.get(2).data().get(0).get("id").asText()).isEqualTo("m1");
        assertThat(parts.get(5).data().get("calling").asText()).isEqualTo("search");
        assertThat(parts.get(6).data().get(1).get("langgraph_node").asText()).isEqualTo("agent");
        assertThat(parts.get(7).data().get("messages")).hasSize(2);
        assertThat(parts.get(8).data().get("status").asText()).isEqualTo("success");

        String join = "/threads/" + thread + "/runs/" + runId + "/stream";
        // a connection that dropped between the output and the end gets the end alone
        ApClient.OpenStream rest = ap.open("GET", join, null, header("Last-Event-ID", "10:0"));
        rest.reader.join(PATIENCE);
        assertThat(rest.ids()).containsExactly("10");
        // after the end: an empty stream (never a 204, which the SDK cannot read)
        ApClient.OpenStream none = ap.open("GET", join, null, header("Last-Event-ID", "10"));
        none.reader.join(PATIENCE);
        assertThat(none.response.statusCode()).isEqualTo(200);
        assertThat(none.parts).isEmpty();
        // modes filter: metadata, error and end always pass
        ApClient.OpenStream custom = ap.open("GET", join + "?stream_mode=custom", null, Map.of());
        custom.reader.join(PATIENCE);
        assertThat(custom.events()).containsExactly("metadata", "custom", "end");
        // a join without modes streams the modes the run was created with
        ApClient.OpenStream stored = ap.open("GET", join, null, header("Last-Event-ID", "7"));
        stored.reader.join(PATIENCE);
        assertThat(stored.events()).containsExactly("custom", "messages", "values", "end");
        assertThat(ap.get("/runs/" + runId + "/stream?stream_mode=updates").status()).isEqualTo(200);
    }

    @Test
    void multitaskStrategiesAreTheThreadKeysOnConflict() {
        String thread = newThread().get("thread_id").asText();
        String first = createRun(thread, "{\"assistant_id\":\"work\"}").get("run_id").asText();
        Http.Reply rejected = ap.post("/threads/" + thread + "/runs", "{\"assistant_id\":\"work\"}");
        assertThat(rejected.status()).isEqualTo(409);
        assertThat(rejected.code()).isEqualTo("concurrency_conflict");
        assertThat(rejected.json().get("activeRunId").asText()).isEqualTo(first);
        assertThat(count("runs")).isEqualTo(1);

        String second = createRun(thread, "{\"assistant_id\":\"work\",\"multitask_strategy\":\"enqueue\"}")
                .get("run_id").asText();
        JsonNode lease = lease();
        assertThat(lease.get("runId").asText()).isEqualTo(first);
        assertThat(runStatus(thread, second)).isEqualTo("pending");
        complete(lease, "{\"n\":1}");
        JsonNode next = lease();
        assertThat(next.get("runId").asText()).as("the enqueued run runs after the first").isEqualTo(second);

        // interrupt: the running one is asked to stop, queued ones are cancelled, the new one waits
        String queued = createRun(thread, "{\"assistant_id\":\"work\",\"multitask_strategy\":\"enqueue\"}")
                .get("run_id").asText();
        String third = createRun(thread, "{\"assistant_id\":\"work\",\"multitask_strategy\":\"interrupt\"}")
                .get("run_id").asText();
        assertThat(runStatus(thread, queued)).isEqualTo("interrupted");
        assertThat(run(second).get("stopRequestedAt").isNull()).isFalse();
        fail(next, "stopped");
        assertThat(runStatus(thread, second)).isEqualTo("interrupted");
        JsonNode thirdLease = lease();
        assertThat(thirdLease.get("runId").asText()).isEqualTo(third);

        // rollback: as interrupt, and the interrupted run leaves the thread
        String fourth = createRun(thread, "{\"assistant_id\":\"work\",\"multitask_strategy\":\"rollback\"}")
                .get("run_id").asText();
        assertThat(ap.get("/threads/" + thread + "/runs/" + third).code()).isEqualTo("run_not_found");
        assertThat(run(third).get("stopRequestedAt").isNull()).isFalse();
        fail(thirdLease, "stopped");
        assertThat(lease().get("runId").asText()).isEqualTo(fourth);
        assertThat(ap.get("/threads/" + thread + "/runs?limit=10").json()).extracting(x -> x.get("run_id").asText())
                .containsExactly(fourth, queued, second, first);
    }

    @Test
    void anInterruptIsATokenWaitpointAndCommandResumeCompletesIt() throws Exception {
        String thread = newThread().get("thread_id").asText();
        ApClient.OpenStream s = ap.open("POST", "/threads/" + thread + "/runs/stream",
                "{\"assistant_id\":\"work\",\"input\":{\"doc\":\"budget\"},\"stream_mode\":[\"updates\",\"values\"]}",
                Map.of());
        JsonNode lease = lease();
        String runId = lease.get("runId").asText();
        String wp = interrupt(lease, "{\"question\":\"Approve?\"}");
        s.reader.join(PATIENCE);
        assertThat(s.ended).as("the stream ends at the interrupt").isTrue();
        assertThat(s.events()).containsExactly("metadata", "updates", "end");
        JsonNode update = s.parts.get(1).data().get("__interrupt__").get(0);
        assertThat(update.get("id").asText()).isEqualTo(wp);
        assertThat(update.get("value").get("question").asText()).isEqualTo("Approve?");
        assertThat(s.parts.get(2).data().get("status").asText()).isEqualTo("interrupted");

        assertThat(runStatus(thread, runId)).isEqualTo("interrupted");
        JsonNode t = ap.get("/threads/" + thread).json();
        assertThat(t.get("status").asText()).isEqualTo("interrupted");
        assertThat(t.get("interrupts").get(runId).get(0).get("value").get("question").asText()).isEqualTo("Approve?");
        JsonNode state = ap.get("/threads/" + thread + "/state").json();
        assertThat(state.get("next")).extracting(JsonNode::asText).containsExactly("ask");
        assertThat(state.get("tasks").get(0).get("interrupts").get(0).get("id").asText()).isEqualTo(wp);
        assertThat(state.get("interrupts").get(0).get("value").get("question").asText()).isEqualTo("Approve?");
        JsonNode joined = ap.get("/threads/" + thread + "/runs/" + runId + "/join").json();
        assertThat(joined.get("__interrupt__").get(0).get("id").asText()).isEqualTo(wp);
        assertThat(ap.post("/threads/" + thread + "/history", "{}").json().get(0).get("next")).hasSize(1);
        // a resume answers the interrupted run itself, which goes on
        Http.Reply resumed = ap.post("/threads/" + thread + "/runs",
                "{\"assistant_id\":\"work\",\"command\":{\"resume\":{\"approved\":true}}}");
        assertThat(resumed.status()).as(resumed.toString()).isEqualTo(200);
        assertThat(resumed.json().get("run_id").asText()).isEqualTo(runId);
        assertThat(resumed.json().get("status").asText()).isEqualTo("pending");
        assertThat(api.get(P + "/waitpoints/" + wp).json().get("data").get("approved").asBoolean()).isTrue();
        assertThat(ap.get("/threads/" + thread).json().get("status").asText()).isEqualTo("busy");

        JsonNode again = lease();
        assertThat(again.get("runId").asText()).isEqualTo(runId);
        assertThat(again.get("resumed").get("ask").get(0).get("data").get("approved").asBoolean()).isTrue();
        complete(again, "{\"approved\":true}");
        assertThat(runStatus(thread, runId)).isEqualTo("success");
        // the whole stream, replayed: the past interrupt passes by, the stream ends at the end
        ApClient.OpenStream replay = ap.open("GET", "/threads/" + thread + "/runs/" + runId + "/stream?stream_mode=updates",
                null, Map.of());
        replay.reader.join(PATIENCE);
        assertThat(replay.events()).containsExactly("metadata", "updates", "end");
    }

    @Test
    void aResumeStreamStartsAfterTheSuspendAndANewRunSupersedesAnInterrupt() throws Exception {
        String thread = newThread().get("thread_id").asText();
        createRun(thread, "{\"assistant_id\":\"work\"}");
        JsonNode lease = lease();
        interrupt(lease, "\"continue?\"");
        long suspendSeq = run(lease.get("runId").asText()).get("lastSeq").asLong();
        ApClient.OpenStream s = ap.open("POST", "/threads/" + thread + "/runs/stream",
                "{\"assistant_id\":\"work\",\"command\":{\"resume\":\"yes\"},\"stream_mode\":\"values\"}", Map.of());
        JsonNode again = lease();
        complete(again, "{\"done\":true}");
        s.reader.join(PATIENCE);
        assertThat(s.events()).containsExactly("metadata", "values", "end");
        assertThat(s.parts.get(0).id()).as("a metadata part for the resumed run, without id").isNull();
        assertThat(Long.parseLong(s.parts.get(2).id())).isGreaterThan(suspendSeq + 1);

        // new input on an interrupted thread: the interrupted run is cancelled, the new one runs
        createRun(thread, "{\"assistant_id\":\"work\"}");
        JsonNode third = lease();
        interrupt(third, "\"again?\"");
        String fourth = createRun(thread, "{\"assistant_id\":\"work\"}").get("run_id").asText();
        assertThat(runStatus(thread, third.get("runId").asText())).isEqualTo("interrupted");
        assertThat(run(third.get("runId").asText()).get("status").asText()).isEqualTo("cancelled");
        assertThat(lease().get("runId").asText()).isEqualTo(fourth);
    }

    @Test
    void waitsAnswerTheOutcomeAndCancelsAndDeletesStopRuns() throws Exception {
        String thread = newThread().get("thread_id").asText();
        CompletableFuture<HttpResponse<String>> wait = ap.sendAsync("POST", "/threads/" + thread + "/runs/wait",
                "{\"assistant_id\":\"work\"}");
        JsonNode lease = lease();
        fail(lease, "model_down");
        HttpResponse<String> failed = wait.get(20, TimeUnit.SECONDS);
        assertThat(failed.statusCode()).isEqualTo(200);
        JsonNode error = Http.JSON.readTree(failed.body()).get("__error__");
        assertThat(error.get("error").asText()).isEqualTo("model_down");
        assertThat(failed.headers().firstValue("Content-Location").orElse("")).contains("/runs/run_");
        assertThat(ap.get("/threads/" + thread).json().get("status").asText()).isEqualTo("error");

        // a wait longer than the keep-alive interval: newlines first, then the answer
        CompletableFuture<HttpResponse<String>> slow = ap.sendAsync("POST", "/runs/wait", "{\"assistant_id\":\"work\"}");
        JsonNode slowLease = lease();
        emit(slowLease, "progress", "{}");
        // the wait stays open past a few keep-alive intervals (500 ms here) while the run works
        await().during(Duration.ofMillis(1500)).atMost(PATIENCE).until(() -> !slow.isDone());
        complete(slowLease, "{\"ok\":1}");
        HttpResponse<String> ok = slow.get(20, TimeUnit.SECONDS);
        assertThat(ok.body()).as("keep-alive newlines, then the answer").startsWith("\n");
        assertThat(Http.JSON.readTree(ok.body()).get("ok").asInt()).isEqualTo(1);

        // cancel of a queued run settles it at once (wait=1: 204), of a running one asks (202)
        String queued = createRun(thread, "{\"assistant_id\":\"work\"}").get("run_id").asText();
        assertThat(ap.post("/threads/" + thread + "/runs/" + queued + "/cancel?wait=1&action=interrupt", null)
                .status()).isEqualTo(204);
        assertThat(runStatus(thread, queued)).isEqualTo("interrupted");
        String running = createRun(thread, "{\"assistant_id\":\"work\"}").get("run_id").asText();
        JsonNode runningLease = lease();
        assertThat(ap.post("/threads/" + thread + "/runs/" + running + "/cancel", null).status()).isEqualTo(202);
        assertThat(api.post(P + "/runs/" + running + "/heartbeat", "{\"leaseToken\":\""
                + runningLease.get("leaseToken").asText() + "\"}").json().get("stopRequested").asBoolean()).isTrue();
        fail(runningLease, "stopped");
        assertThat(runStatus(thread, running)).isEqualTo("interrupted");

        assertThat(ap.send("DELETE", "/threads/" + thread + "/runs/" + running, null, Map.of()).status())
                .isEqualTo(204);
        assertThat(ap.get("/threads/" + thread + "/runs/" + running).code()).isEqualTo("run_not_found");
        assertThat(run(running).get("status").asText()).as("the ledger keeps the run").isEqualTo("cancelled");

        Http.Reply batch = ap.post("/runs/batch", "[{\"assistant_id\":\"work\",\"input\":1},"
                + "{\"assistant_id\":\"work\",\"input\":2}]");
        assertThat(batch.status()).isEqualTo(200);
        assertThat(batch.json()).hasSize(2);
        assertThat(ap.post("/runs/cancel", "{\"run_ids\":[\"" + batch.json().get(0).get("run_id").asText() + "\"]}")
                .status()).isEqualTo(204);
        assertThat(run(batch.json().get(0).get("run_id").asText()).get("status").asText()).isEqualTo("cancelled");
    }

    @Test
    void aWebhookReceivesTheRunsEndThroughTheOutbox() {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            String thread = newThread().get("thread_id").asText();
            String runId = createRun(thread, "{\"assistant_id\":\"work\",\"webhook\":\"" + receiver.url() + "/done\"}")
                    .get("run_id").asText();
            complete(lease(), "{\"answer\":1}");
            await().atMost(PATIENCE).until(() -> receiver.received().size() == 1);
            WebhookReceiver.Received got = receiver.received().get(0);
            assertThat(got.body()).contains("run.succeeded").contains(runId);
            assertThat(got.headers()).containsKey("webhook-signature");
            assertThat(api.get(P + "/webhooks").json().get("items")).as("no webhook of the scope").isEmpty();
        }
    }
}

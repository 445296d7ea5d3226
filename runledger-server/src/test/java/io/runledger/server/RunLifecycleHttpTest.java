package io.runledger.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The run lifecycle end to end over HTTP, against a real server and PostgreSQL. */
class RunLifecycleHttpTest extends ServerTestBase {

    @Override
    protected String serviceSpec() {
        return "{\"maxAttempts\":2,\"leaseTtlSeconds\":1}";
    }

    @Test
    void triggerLeaseAppendComplete() {
        Http.Reply receipt = trigger("{\"input\":{\"doc\":\"a\"},\"correlationId\":\"c-1\",\"tags\":[\"t\"]}");
        assertThat(receipt.status()).isEqualTo(202);
        String runId = receipt.json().get("runId").asText();
        assertThat(receipt.header("Location")).isEqualTo(P + "/runs/" + runId);
        assertThat(receipt.json().get("status").asText()).isEqualTo("accepted");
        assertThat(receipt.json().get("correlationId").asText()).isEqualTo("c-1");
        assertThat(receipt.json().get("commandId").asText()).startsWith("cmd_");
        assertThat(receipt.json().get("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
        assertThat(receipt.json().get("links").get("stream").asText()).isEqualTo(P + "/runs/" + runId + "/stream");

        JsonNode lease = leaseOne("w1");
        assertThat(lease.get("runId").asText()).isEqualTo(runId);
        assertThat(lease.get("input").get("doc").asText()).isEqualTo("a");
        assertThat(lease.get("attempt").asInt()).isEqualTo(1);
        String token = lease.get("leaseToken").asText();

        Http.Reply appended = api.post(P + "/runs/" + runId + "/events", "{\"leaseToken\":\"" + token
                + "\",\"events\":[{\"type\":\"progress\",\"data\":{\"pct\":50}},{\"type\":\"log\",\"data\":\"hi\"}]}");
        assertThat(appended.status()).as(appended.toString()).isEqualTo(200);
        assertThat(appended.json().get("seqs").toString()).isEqualTo("[3,4]");

        Http.Reply done = api.post(P + "/runs/" + runId + "/complete",
                "{\"leaseToken\":\"" + token + "\",\"output\":{\"ok\":true}}");
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        assertThat(done.json().get("status").asText()).isEqualTo("succeeded");

        JsonNode run = run(runId);
        assertThat(run.get("status").asText()).isEqualTo("succeeded");
        assertThat(run.get("output").get("ok").asBoolean()).isTrue();
        assertThat(run.get("error").isNull()).isTrue();
        assertThat(run.get("workerId").asText()).isEqualTo("w1");
        assertThat(run.get("lastSeq").asLong()).isEqualTo(5);
        assertThat(run.fieldNames()).toIterable().containsExactly("runId", "scope", "service", "status", "attempt",
                "maxAttempts", "input", "output", "error", "commandId", "correlationId", "concurrencyKey",
                "parentRunId", "tags", "metadata", "workerId", "createdAt", "runAt", "startedAt", "finishedAt",
                "stopRequestedAt", "leaseExpiresAt", "updatedAt", "lastSeq", "rootRunId", "replayOf",
                "priority", "lastEventAt");
        // the latest event is run.succeeded, written by the completion
        assertThat(run.get("lastEventAt").asText()).isEqualTo(
                api.get(P + "/runs/" + runId + "/events?after=4&limit=1").json().get("items").get(0).get("createdAt")
                        .asText());

        Http.Reply events = api.get(P + "/runs/" + runId + "/events?after=1&limit=2");
        assertThat(events.json().get("items")).extracting(e -> e.get("type").asText())
                .containsExactly("run.started", "progress");
        assertThat(events.json().get("nextAfter").asLong()).isEqualTo(3);

        Http.Reply repeat = api.post(P + "/runs/" + runId + "/complete",
                "{\"leaseToken\":\"" + token + "\",\"output\":{\"ok\":true}}");
        assertThat(repeat.status()).isEqualTo(200);
        Http.Reply different = api.post(P + "/runs/" + runId + "/complete",
                "{\"leaseToken\":\"" + token + "\",\"output\":{\"ok\":false}}");
        assertThat(different.status()).isEqualTo(409);
        assertThat(different.code()).isEqualTo("run_already_settled");
    }

    @Test
    void idempotentReplayAndReuse() {
        String body = "{\"input\":{\"n\":7}}";
        Http.Reply first = api.send("POST", P + "/services/" + SERVICE + "/runs", body, Map.of("Idempotency-Key", "k-1"));
        assertThat(first.status()).isEqualTo(202);
        assertThat(first.json().get("commandId").asText()).isEqualTo("k-1");

        Http.Reply replay = api.send("POST", P + "/services/" + SERVICE + "/runs", body, Map.of("Idempotency-Key", "k-1"));
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.json().get("runId")).isEqualTo(first.json().get("runId"));

        Http.Reply viaBody = trigger("{\"input\":{\"n\":7},\"idempotencyKey\":\"k-1\"}");
        assertThat(viaBody.status()).isEqualTo(200);
        assertThat(viaBody.json().get("runId")).isEqualTo(first.json().get("runId"));

        Http.Reply reused = api.send("POST", P + "/services/" + SERVICE + "/runs", "{\"input\":{\"n\":8}}",
                Map.of("Idempotency-Key", "k-1"));
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.code()).isEqualTo("idempotency_key_reused");
        assertThat(count("runs")).isEqualTo(1);
    }

    @Test
    void concurrencyConflictNamesTheActiveRun() {
        Http.Reply holder = trigger("{\"input\":1,\"concurrencyKey\":\"user-1\"}");
        assertThat(holder.status()).isEqualTo(202);
        Http.Reply refused = trigger("{\"input\":2,\"concurrencyKey\":\"user-1\"}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.code()).isEqualTo("concurrency_conflict");
        assertThat(refused.json().get("activeRunId")).isEqualTo(holder.json().get("runId"));
        assertThat(count("runs")).isEqualTo(1);

        Http.Reply queued = trigger("{\"input\":3,\"concurrencyKey\":\"user-1\",\"onConflict\":\"enqueue\"}");
        assertThat(queued.status()).isEqualTo(202);
    }

    @Test
    void cancelQueuedRunSettlesAtOnce() {
        String runId = triggerRun();
        Http.Reply cancel = api.post(P + "/runs/" + runId + "/cancel", "{\"reason\":\"not needed\"}");
        assertThat(cancel.status()).isEqualTo(200);
        assertThat(cancel.json().get("status").asText()).isEqualTo("cancelled");
        assertThat(api.post(P + "/runs/" + runId + "/cancel", null).status()).isEqualTo(200);
    }

    @Test
    void cancelRunningRunAsksTheWorkerToStop() {
        String runId = triggerRun();
        String token = leaseOne("w1").get("leaseToken").asText();
        Http.Reply before = api.post(P + "/runs/" + runId + "/heartbeat", "{\"leaseToken\":\"" + token + "\"}");
        assertThat(before.json().get("stopRequested").asBoolean()).isFalse();

        Http.Reply cancel = api.post(P + "/runs/" + runId + "/cancel", "{}");
        assertThat(cancel.status()).isEqualTo(202);
        assertThat(cancel.json().get("status").asText()).isEqualTo("running");
        assertThat(cancel.json().get("stopRequestedAt").isNull()).isFalse();

        Http.Reply hb = api.post(P + "/runs/" + runId + "/heartbeat", "{\"leaseToken\":\"" + token + "\"}");
        assertThat(hb.status()).isEqualTo(200);
        assertThat(hb.json().get("stopRequested").asBoolean()).isTrue();
        assertThat(hb.json().get("messages")).isEmpty();

        Http.Reply failed = api.post(P + "/runs/" + runId + "/fail", "{\"leaseToken\":\"" + token
                + "\",\"error\":{\"code\":\"stopped\",\"message\":\"stopped on request\"},\"retryable\":false}");
        assertThat(failed.status()).as(failed.toString()).isEqualTo(200);
        assertThat(failed.json().get("status").asText()).isEqualTo("cancelled");
    }

    @Test
    void expiredLeaseIsRecoveredAndTheStaleTokenRefused() {
        String runId = triggerRun();
        String stale = leaseOne("w1").get("leaseToken").asText();

        // leaseTtlSeconds is 1 and the sweeper runs every 200 ms.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode run = run(runId);
            assertThat(run.get("status").asText()).isEqualTo("accepted");
            assertThat(run.get("attempt").asInt()).isEqualTo(2);
        });
        Http.Reply hb = api.post(P + "/runs/" + runId + "/heartbeat", "{\"leaseToken\":\"" + stale + "\"}");
        assertThat(hb.status()).isEqualTo(409);
        assertThat(hb.code()).isEqualTo("lease_lost");

        JsonNode second = leaseOne("w2");
        assertThat(second.get("runId").asText()).isEqualTo(runId);
        assertThat(second.get("attempt").asInt()).isEqualTo(2);
        Http.Reply late = api.post(P + "/runs/" + runId + "/complete", "{\"leaseToken\":\"" + stale + "\",\"output\":1}");
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.code()).isEqualTo("lease_lost");
    }

    @Test
    void leaseLongPollIsWokenByATrigger() throws Exception {
        CompletableFuture<Http.Reply> poll = CompletableFuture.supplyAsync(() -> api.post(P + "/workers/lease",
                "{\"workerId\":\"w1\",\"services\":[\"work\"],\"max\":1,\"waitSeconds\":20}"));
        // Trigger only once the poll has made its first, empty claim (which records "w1" as seen,
        // after the poll has taken its wake-up ticket), so that it is the trigger that wakes it.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() ->
                workerIds().contains("w1"));
        assertThat(poll).isNotDone();
        long t0 = System.nanoTime();
        String runId = triggerRun();
        Http.Reply r = poll.get();
        assertThat(r.json().get("leases").get(0).get("runId").asText()).isEqualTo(runId);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));

        assertThat(workerIds()).containsExactly("w1");
    }

    private static List<String> workerIds() {
        return api.get(P + "/workers").json().get("items").valueStream().map(w -> w.get("workerId").asText()).toList();
    }

    @Test
    void waitReturnsWhenTheRunSettles() throws Exception {
        String runId = triggerRun();
        String token = leaseOne("w1").get("leaseToken").asText();
        CompletableFuture<Http.Reply> waiting = CompletableFuture.supplyAsync(
                () -> api.get(P + "/runs/" + runId + "/wait?timeoutSeconds=20"));
        api.post(P + "/runs/" + runId + "/complete", "{\"leaseToken\":\"" + token + "\",\"output\":\"done\"}");
        Http.Reply r = waiting.get();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("succeeded");

        String other = triggerRun();
        Http.Reply timedOut = api.get(P + "/runs/" + other + "/wait?timeoutSeconds=0");
        assertThat(timedOut.json().get("status").asText()).isEqualTo("accepted");
    }

    @Test
    void listPagesNewestFirst() {
        List<String> ids = List.of(triggerRun(), triggerRun(), triggerRun());
        Http.Reply first = api.get(P + "/runs?limit=2");
        assertThat(first.json().get("items")).extracting(r -> r.get("runId").asText())
                .containsExactly(ids.get(2), ids.get(1));
        String cursor = first.json().get("nextCursor").asText();
        Http.Reply second = api.get(P + "/runs?limit=2&cursor=" + cursor);
        assertThat(second.json().get("items")).extracting(r -> r.get("runId").asText()).containsExactly(ids.get(0));
        assertThat(second.json().get("nextCursor").isNull()).isTrue();
        assertThat(api.get(P + "/runs?status=accepted&service=work").json().get("items")).hasSize(3);
    }

    @Test
    void rebuildReportsNoChangeForAConsistentRun() {
        String runId = triggerRun();
        Http.Reply r = api.post(P + "/runs/" + runId + "/projection/rebuild", null);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("changed").asBoolean()).isFalse();
        assertThat(r.json().get("after").get("runId").asText()).isEqualTo(runId);
    }
}

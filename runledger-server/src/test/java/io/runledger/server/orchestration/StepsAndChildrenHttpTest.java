package io.runledger.server.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.RawHttp;
import io.runledger.server.testing.ServerTestBase;
import io.runledger.server.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Durable steps, child runs, replay, cascade cancel and retries with a delay, over HTTP. */
class StepsAndChildrenHttpTest extends ServerTestBase {

    private static Http.Reply step(String runId, String encodedStep, String token, String output) {
        return api.post(P + "/runs/" + runId + "/steps/" + encodedStep,
                "{\"leaseToken\":\"" + token + "\",\"output\":" + output + "}");
    }

    @Test
    void aStepIsRecordedOnceAndItsNameMayHoldAnEncodedSlash() {
        String runId = triggerRun();
        String token = leaseOne("w1").get("leaseToken").asText();

        Http.Reply first = step(runId, "fetch%2Fpage:1", token, "{\"n\":1}");
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.json().get("step").asText()).isEqualTo("fetch/page:1");
        assertThat(first.json().get("replayed").asBoolean()).isFalse();
        assertThat(first.json().get("attempt").asInt()).isEqualTo(1);
        assertThat(first.json().fieldNames()).toIterable()
                .containsExactly("step", "output", "attempt", "seq", "createdAt", "replayed");
        long seq = first.json().get("seq").asLong();

        Http.Reply again = step(runId, "fetch%2Fpage:1", token, "{\"n\":2}");
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().get("replayed").asBoolean()).isTrue();
        assertThat(again.json().get("output").toString()).isEqualTo("{\"n\":1}");
        assertThat(again.json().get("seq").asLong()).isEqualTo(seq);

        assertThat(step(runId, "second", token, "[2]").status()).isEqualTo(200);
        Http.Reply page = api.get(P + "/runs/" + runId + "/steps?limit=1");
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(page.json().get("items")).extracting(s -> s.get("step").asText()).containsExactly("fetch/page:1");
        assertThat(page.json().get("nextAfter").asLong()).isEqualTo(seq);
        Http.Reply rest = api.get(P + "/runs/" + runId + "/steps?after=" + seq);
        assertThat(rest.json().get("items")).extracting(s -> s.get("step").asText()).containsExactly("second");
        assertThat(rest.json().get("nextAfter").isNull()).isTrue();

        // The next attempt's lease carries the recorded steps.
        Http.Reply failed = api.post(P + "/runs/" + runId + "/fail", "{\"leaseToken\":\"" + token
                + "\",\"error\":{\"code\":\"e\",\"message\":\"m\"},\"retryable\":true,\"retryAfterSeconds\":0}");
        assertThat(failed.status()).as(failed.toString()).isEqualTo(200);
        assertThat(failed.json().get("status").asText()).isEqualTo("accepted");
        JsonNode lease = leaseOne("w1");
        assertThat(lease.get("attempt").asInt()).isEqualTo(2);
        assertThat(lease.get("steps").toString()).isEqualTo("{\"fetch/page:1\":{\"n\":1},\"second\":[2]}");
        assertThat(lease.get("resumed").toString()).isEqualTo("{}");
        assertThat(lease.get("stepsComplete").asBoolean()).isTrue();
    }

    /**
     * Every valid step name can be addressed in the one path segment: Jetty's URI compliance
     * lets an encoded slash through and the router decodes it; dot segments are not resolved.
     * Sent over a raw socket, so no client normalises the path first.
     */
    @Test
    void awkwardStepNamesArriveDecodedInTheirOneSegment() {
        String runId = triggerRun();
        String token = leaseOne("w1").get("leaseToken").asText();
        String[][] cases = {{"a%2F..%2Fb", "a/../b"}, {"%2E%2E", ".."}, {"%2E", "."}, {"a%2F%2Fb", "a//b"},
            {"%2F", "/"}, {"a%2Fb%2F", "a/b/"}, {"a%3Ab", "a:b"}, {"a%2f%2e%2e", "a/.."}, {"A-Z_0.9", "A-Z_0.9"}};
        String body = "{\"leaseToken\":\"" + token + "\",\"output\":1}";
        for (String[] c : cases) {
            RawHttp.Answer a = RawHttp.exchange(api.baseUrl(), "POST " + P + "/runs/" + runId + "/steps/" + c[0]
                    + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestServer.ADMIN_KEY
                    + "\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body, false);
            assertThat(a.status()).as(c[0] + " " + a).isEqualTo(200);
            assertThat(a.json().get("step").asText()).as(c[0]).isEqualTo(c[1]);
            assertThat(a.json().get("replayed").asBoolean()).as(c[0]).isFalse();
        }
    }

    @Test
    void aRetryableFailureWithRetryAfterSecondsSchedulesTheRun() {
        String runId = triggerRun();
        String token = leaseOne("w1").get("leaseToken").asText();
        Instant before = Instant.now();
        Http.Reply r = api.post(P + "/runs/" + runId + "/fail", "{\"leaseToken\":\"" + token
                + "\",\"error\":{\"code\":\"e\",\"message\":\"m\"},\"retryable\":true,\"retryAfterSeconds\":60}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("scheduled");
        assertThat(r.json().get("attempt").asInt()).isEqualTo(2);
        Instant runAt = Instant.parse(r.json().get("runAt").asText());
        assertThat(Duration.between(before, runAt).toSeconds()).isBetween(55L, 65L);
        JsonNode events = api.get(P + "/runs/" + runId + "/events").json().get("items");
        JsonNode retrying = events.get(events.size() - 1);
        assertThat(retrying.get("type").asText()).isEqualTo("run.retrying");
        assertThat(retrying.get("data").get("delaySeconds").asDouble()).isCloseTo(60.0, within(0.01));
    }

    @Test
    void theBatchedFailTakesRetryAfterSecondsPerItem() {
        String runId = triggerRun();
        String token = leaseOne("w1").get("leaseToken").asText();
        Http.Reply r = api.post(P + "/runs:fail", "{\"items\":[{\"runId\":\"" + runId + "\",\"leaseToken\":\""
                + token + "\",\"error\":{\"code\":\"e\",\"message\":\"m\"},\"retryable\":true,\"retryAfterSeconds\":30}]}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("items").get(0).get("status").asText()).isEqualTo("scheduled");
    }

    @Test
    void aServiceAndATriggerCarryARetryPolicy() {
        Http.Reply svc = api.put(P + "/services/backoff", "{\"retry\":{\"initialDelaySeconds\":5,\"factor\":3}}");
        assertThat(svc.status()).as(svc.toString()).isEqualTo(200);
        assertThat(svc.json().get("retry").toString())
                .isEqualTo("{\"initialDelaySeconds\":5.0,\"maxDelaySeconds\":300.0,\"factor\":3.0,\"jitter\":0.2}");
        assertThat(api.get(P + "/services/" + SERVICE).json().get("retry").get("factor").asDouble()).isEqualTo(2.0);

        Http.Reply t = api.post(P + "/services/backoff/runs",
                "{\"input\":1,\"retry\":{\"initialDelaySeconds\":10,\"jitter\":0}}");
        assertThat(t.status()).as(t.toString()).isEqualTo(202);
        Http.Reply v = api.post(P + "/services/backoff/runs:validate", "{\"input\":1,\"retry\":{\"factor\":1.5}}");
        assertThat(v.json().get("valid").asBoolean()).as(v.toString()).isTrue();
        Http.Reply bad = api.post(P + "/services/backoff/runs:validate", "{\"input\":1,\"retry\":{\"factor\":-1}}");
        assertThat(bad.json().get("valid").asBoolean()).as(bad.toString()).isFalse();
        Http.Reply batch = api.post(P + "/services/backoff/batches",
                "{\"items\":[{\"input\":1,\"retry\":{\"maxDelaySeconds\":30}}]}");
        assertThat(batch.status()).as(batch.toString()).isEqualTo(202);
    }

    @Test
    void aChildIsTriggeredOncePerStepAndCarriesItsTree() {
        String parent = triggerRun();
        String token = leaseOne("w1").get("leaseToken").asText();
        String body = "{\"leaseToken\":\"" + token + "\",\"step\":\"kid/1\",\"service\":\"work\",\"input\":{\"x\":1},"
                + "\"tags\":[\"child\"]}";

        Http.Reply first = api.post(P + "/runs/" + parent + "/children", body);
        assertThat(first.status()).as(first.toString()).isEqualTo(202);
        String child = first.json().get("runId").asText();
        assertThat(first.header("Location")).isEqualTo(P + "/runs/" + child);
        assertThat(first.json().get("commandId").asText()).isEqualTo(parent + "/kid/1");

        Http.Reply again = api.post(P + "/runs/" + parent + "/children", body);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.json().get("runId").asText()).isEqualTo(child);

        JsonNode c = run(child);
        assertThat(c.get("parentRunId").asText()).isEqualTo(parent);
        assertThat(c.get("rootRunId").asText()).isEqualTo(parent);
        assertThat(c.get("replayOf").isNull()).isTrue();
        assertThat(c.get("tags").toString()).isEqualTo("[\"child\"]");
        assertThat(run(parent).get("rootRunId").asText()).isEqualTo(parent);
        assertThat(api.get(P + "/runs?parentRunId=" + parent).json().get("items"))
                .extracting(r -> r.get("runId").asText()).containsExactly(child);

        Http.Reply stale = api.post(P + "/runs/" + parent + "/children",
                body.replace(token, "00000000-0000-0000-0000-000000000000").replace("kid/1", "kid/2"));
        assertThat(stale.status()).as(stale.toString()).isEqualTo(409);
        assertThat(stale.code()).isEqualTo("lease_lost");
    }

    @Test
    void cancelCascadesToChildrenUnlessToldNot() {
        String parent = triggerRun();
        String token = leaseOne("w1").get("leaseToken").asText();
        String kept = api.post(P + "/runs/" + parent + "/children", "{\"leaseToken\":\"" + token
                + "\",\"step\":\"a\",\"service\":\"work\",\"input\":1}").json().get("runId").asText();

        Http.Reply lone = api.post(P + "/runs/" + parent + "/cancel", "{\"reason\":\"stop\",\"cascade\":false}");
        assertThat(lone.status()).as(lone.toString()).isEqualTo(202);
        assertThat(run(kept).get("status").asText()).isEqualTo("accepted");

        Http.Reply all = api.post(P + "/runs/" + parent + "/cancel", "{}");
        assertThat(all.status()).as(all.toString()).isEqualTo(202);
        assertThat(run(kept).get("status").asText()).isEqualTo("cancelled");
    }

    @Test
    void aReplayIsANewRunOfTheSameServiceThatNamesTheOriginal() {
        String original = triggerRun();
        Http.Reply same = api.post(P + "/runs/" + original + "/replay", null);
        assertThat(same.status()).as(same.toString()).isEqualTo(202);
        String copy = same.json().get("runId").asText();
        assertThat(copy).isNotEqualTo(original);
        assertThat(same.header("Location")).isEqualTo(P + "/runs/" + copy);
        JsonNode r = run(copy);
        assertThat(r.get("replayOf").asText()).isEqualTo(original);
        assertThat(r.get("input").toString()).isEqualTo("{\"n\":1}");
        assertThat(r.get("service").asText()).isEqualTo(SERVICE);

        Http.Reply changed = api.post(P + "/runs/" + original + "/replay", "{\"input\":{\"n\":2},\"metadata\":{\"m\":1}}");
        assertThat(changed.status()).as(changed.toString()).isEqualTo(202);
        JsonNode r2 = run(changed.json().get("runId").asText());
        assertThat(r2.get("input").toString()).isEqualTo("{\"n\":2}");
        assertThat(r2.get("metadata").toString()).isEqualTo("{\"m\":1}");
        assertThat(r2.get("replayOf").asText()).isEqualTo(original);
        assertThat(api.send("POST", P + "/runs/run_01jzzzzzzzzzzzzzzzzzzzzzzz/replay", "{}", Map.of()).code())
                .isEqualTo("run_not_found");
    }
}

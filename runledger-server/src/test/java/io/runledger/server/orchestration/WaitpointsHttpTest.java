package io.runledger.server.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.LogCapture;
import io.runledger.server.testing.RawHttp;
import io.runledger.server.testing.ServerTestBase;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Token waitpoints and suspend over HTTP: a run suspends on a token, the token's callback URL
 * completes it without a key, the run comes back with {@code run.resumed} and its next lease
 * carries the result.
 */
class WaitpointsHttpTest extends ServerTestBase {

    private static JsonNode createToken(String body) {
        Http.Reply r = api.post(P + "/waitpoints", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
    }

    private static String callbackPath(JsonNode created) {
        String url = created.get("callbackUrl").asText();
        assertThat(url).startsWith(api.baseUrl() + "/v1/callbacks/wpc_");
        return url.substring(api.baseUrl().length());
    }

    @Test
    void suspendOnATokenThenTheCallbackUrlResumesTheRunWithoutAKey() {
        JsonNode created = createToken("{\"timeoutSeconds\":600,\"tags\":[\"approval\"]}");
        String wp = created.get("waitpointId").asText();
        assertThat(wp).startsWith("wp_");
        assertThat(created.get("status").asText()).isEqualTo("pending");
        assertThat(created.get("kind").asText()).isEqualTo("token");
        assertThat(created.get("scope").asText()).isEqualTo(SCOPE);
        assertThat(created.get("expiresAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
        assertThat(created.get("tags").toString()).isEqualTo("[\"approval\"]");
        assertThat(created.fieldNames()).toIterable().containsExactly("waitpointId", "scope", "kind", "status",
                "data", "runId", "targetRunId", "targetBatchId", "resumeAt", "expiresAt", "idempotencyKey", "tags",
                "createdAt", "completedAt", "callbackUrl");
        String callback = callbackPath(created);

        String runId = triggerRun();
        String token = leaseOne("w1").get("leaseToken").asText();
        Http.Reply suspended = api.post(P + "/runs/" + runId + "/suspend", "{\"leaseToken\":\"" + token
                + "\",\"step\":\"approve\",\"waitpoints\":[{\"kind\":\"token\",\"waitpointId\":\"" + wp + "\"}]}");
        assertThat(suspended.status()).as(suspended.toString()).isEqualTo(200);
        assertThat(suspended.json().toString()).isEqualTo("{\"suspended\":true,\"results\":[]}");
        assertThat(run(runId).get("status").asText()).isEqualTo("waiting");
        Http.Reply stale = api.post(P + "/runs/" + runId + "/heartbeat", "{\"leaseToken\":\"" + token + "\"}");
        assertThat(stale.status()).as(stale.toString()).isEqualTo(409);

        Http.Reply done = api.withKey(null).post(callback, "{\"approved\":true}");
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        assertThat(done.json().get("waitpointId").asText()).isEqualTo(wp);
        assertThat(done.json().get("status").asText()).isEqualTo("completed");
        assertThat(done.json().get("data").toString()).isEqualTo("{\"approved\":true}");
        assertThat(done.json().has("callbackUrl")).isFalse();
        // the key-less caller learns nothing of the scope behind the token
        assertThat(done.json().has("scope")).isFalse();
        assertThat(done.json().has("runId")).isFalse();
        assertThat(done.json().has("idempotencyKey")).isFalse();

        JsonNode back = run(runId);
        assertThat(back.get("status").asText()).isEqualTo("accepted");
        JsonNode events = api.get(P + "/runs/" + runId + "/events").json().get("items");
        assertThat(events).extracting(e -> e.get("type").asText()).containsSubsequence("run.waiting", "run.resumed");

        JsonNode lease = leaseOne("w2");
        assertThat(lease.get("runId").asText()).isEqualTo(runId);
        assertThat(lease.get("attempt").asInt()).isEqualTo(1);
        assertThat(lease.get("stepsComplete").asBoolean()).isTrue();
        assertThat(lease.get("resumed").toString()).isEqualTo("{\"approve\":[{\"waitpointId\":\"" + wp
                + "\",\"kind\":\"token\",\"status\":\"completed\",\"data\":{\"approved\":true}}]}");

        // Completing again: the same data is a no-op, other data a conflict; by key or by URL.
        assertThat(api.withKey(null).post(callback, "{\"approved\":true}").status()).isEqualTo(200);
        Http.Reply same = api.post(P + "/waitpoints/" + wp + "/complete", "{\"data\":{\"approved\":true}}");
        assertThat(same.status()).as(same.toString()).isEqualTo(200);
        Http.Reply other = api.withKey(null).post(callback, "{\"approved\":false}");
        assertThat(other.status()).as(other.toString()).isEqualTo(409);
        assertThat(other.code()).isEqualTo("waitpoint_already_completed");
        assertThat(other.json().get("waitpointStatus").asText()).isEqualTo("completed");
        Http.Reply otherByKey = api.post(P + "/waitpoints/" + wp + "/complete", "{\"data\":1}");
        assertThat(otherByKey.status()).isEqualTo(409);
        assertThat(otherByKey.code()).isEqualTo("waitpoint_already_completed");

        Http.Reply got = api.get(P + "/waitpoints/" + wp);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().get("completedAt").asText()).endsWith("Z");
        assertThat(got.json().has("callbackUrl")).isFalse();
    }

    @Test
    void completeByKeyAndTheCallbackAcceptsAnyJsonOrNothing() {
        JsonNode a = createToken(null);
        Http.Reply byKey = api.post(P + "/waitpoints/" + a.get("waitpointId").asText() + "/complete",
                "{\"data\":[1,2]}");
        assertThat(byKey.status()).as(byKey.toString()).isEqualTo(200);
        assertThat(byKey.json().get("data").toString()).isEqualTo("[1,2]");

        Http.Reply text = api.withKey(null).post(callbackPath(createToken("{}")), "\"yes\"");
        assertThat(text.status()).as(text.toString()).isEqualTo(200);
        assertThat(text.json().get("data").asText()).isEqualTo("yes");

        Http.Reply empty = api.withKey(null).send("POST", callbackPath(createToken("{}")), null, Map.of());
        assertThat(empty.status()).as(empty.toString()).isEqualTo(200);
        assertThat(empty.json().get("data").isNull()).isTrue();
    }

    @Test
    void aRepeatOfTheSameDataIsTheSameCompletionHoweverTheDatabaseSpellsIt() {
        String callback = callbackPath(createToken(null));
        String data = "{\"b\":[1,{\"z\":null},\"s\"],\"a\":1.5,\"n\":12345678901234,\"t\":true}";
        Http none = api.withKey(null);
        assertThat(none.post(callback, data).status()).isEqualTo(200);
        Http.Reply again = none.post(callback, data);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        Http.Reply reordered = none.post(callback,
                "{\"t\":true,\"n\":12345678901234,\"a\":1.5,\"b\":[1,{\"z\":null},\"s\"]}");
        assertThat(reordered.status()).as(reordered.toString()).isEqualTo(200);
    }

    @Test
    void createIsIdempotentByKeyAndTheRepeatCarriesNoCallbackUrl() {
        JsonNode first = createToken("{\"idempotencyKey\":\"wp-1\"}");
        Http.Reply again = api.post(P + "/waitpoints", "{\"idempotencyKey\":\"wp-1\"}");
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.json().get("waitpointId").asText()).isEqualTo(first.get("waitpointId").asText());
        assertThat(again.json().get("idempotencyKey").asText()).isEqualTo("wp-1");
        assertThat(again.json().has("callbackUrl")).isFalse();
    }

    @Test
    void listFiltersByStatusAndPagesWithACursor() {
        String done = createToken(null).get("waitpointId").asText();
        api.post(P + "/waitpoints/" + done + "/complete", "{\"data\":1}");
        String p1 = createToken(null).get("waitpointId").asText();
        String p2 = createToken(null).get("waitpointId").asText();

        Http.Reply pending = api.get(P + "/waitpoints?status=pending&limit=1");
        assertThat(pending.status()).as(pending.toString()).isEqualTo(200);
        assertThat(pending.json().get("items")).extracting(w -> w.get("waitpointId").asText()).containsExactly(p2);
        String cursor = pending.json().get("nextCursor").asText();
        Http.Reply next = api.get(P + "/waitpoints?status=pending&limit=1&cursor=" + cursor);
        assertThat(next.json().get("items")).extracting(w -> w.get("waitpointId").asText()).containsExactly(p1);
        assertThat(next.json().get("nextCursor").isNull()).isTrue();
        assertThat(api.get(P + "/waitpoints?status=completed").json().get("items"))
                .extracting(w -> w.get("waitpointId").asText()).containsExactly(done);
    }

    @Test
    void aSuspendWhoseWaitpointsAreCompleteGoesOnUnderTheSameLease() {
        String child = triggerRun();
        String childToken = leaseOne("w1").get("leaseToken").asText();
        api.post(P + "/runs/" + child + "/complete", "{\"leaseToken\":\"" + childToken + "\",\"output\":{\"v\":7}}");
        String parent = triggerRun();
        String token = leaseOne("w1").get("leaseToken").asText();

        Http.Reply r = api.post(P + "/runs/" + parent + "/suspend", "{\"leaseToken\":\"" + token
                + "\",\"step\":\"join\",\"waitpoints\":[{\"kind\":\"run\",\"runId\":\"" + child + "\"},"
                + "{\"kind\":\"duration\",\"until\":\"2020-01-01T00:00:00Z\"}],\"onTimeout\":\"fail\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("suspended").asBoolean()).isFalse();
        assertThat(r.json().get("results")).extracting(x -> x.get("kind").asText() + ":" + x.get("status").asText())
                .containsExactly("run:completed", "duration:completed");
        assertThat(r.json().get("results").get(0).get("data").get("status").asText()).isEqualTo("succeeded");
        assertThat(run(parent).get("status").asText()).isEqualTo("running");
        Http.Reply hb = api.post(P + "/runs/" + parent + "/heartbeat", "{\"leaseToken\":\"" + token + "\"}");
        assertThat(hb.status()).as(hb.toString()).isEqualTo(200);

        Http.Reply itself = api.post(P + "/runs/" + parent + "/suspend", "{\"leaseToken\":\"" + token
                + "\",\"step\":\"self\",\"waitpoints\":[{\"kind\":\"run\",\"runId\":\"" + parent + "\"}]}");
        assertThat(itself.status()).as(itself.toString()).isEqualTo(400);
        assertThat(itself.code()).isEqualTo("invalid_argument");
    }

    @Test
    void aDurationWaitpointResumesTheRunWhenItComesDue() {
        String runId = triggerRun();
        String token = leaseOne("w1").get("leaseToken").asText();
        Http.Reply r = api.post(P + "/runs/" + runId + "/suspend", "{\"leaseToken\":\"" + token
                + "\",\"step\":\"nap\",\"waitpoints\":[{\"kind\":\"duration\",\"seconds\":0.5}]}");
        assertThat(r.json().get("suspended").asBoolean()).as(r.toString()).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> run(runId).get("status").asText().equals("accepted"));
        JsonNode lease = leaseOne("w1");
        assertThat(lease.get("resumed").get("nap").get(0).get("status").asText()).isEqualTo("completed");
    }

    @Test
    void theCallbackNeedsNoKeyButEveryOtherWaitpointRouteDoes() {
        JsonNode created = createToken(null);
        String wp = created.get("waitpointId").asText();
        Http none = api.withKey(null);
        for (Http.Reply r : new Http.Reply[] {none.post(P + "/waitpoints", "{}"), none.get(P + "/waitpoints"),
                none.get(P + "/waitpoints/" + wp), none.post(P + "/waitpoints/" + wp + "/complete", "{\"data\":1}")}) {
            assertThat(r.status()).as(r.toString()).isEqualTo(401);
            assertThat(r.code()).isEqualTo("unauthorized");
        }
        assertThat(api.get(P + "/waitpoints/" + wp).json().get("status").asText()).isEqualTo("pending");
        assertThat(none.post(callbackPath(created), "1").status()).isEqualTo(200);
    }

    @Test
    void anotherScopesKeyFindsNothing() {
        String wp = createToken(null).get("waitpointId").asText();
        api.put("/v1/scopes/other", null);
        Http other = api.withKey(api.post("/v1/scopes/other/keys", null).json().get("key").asText());

        Http.Reply viaAcme = other.get(P + "/waitpoints/" + wp);
        assertThat(viaAcme.status()).isEqualTo(404);
        assertThat(viaAcme.code()).isEqualTo("scope_not_found");
        Http.Reply viaOwn = other.get("/v1/scopes/other/waitpoints/" + wp);
        assertThat(viaOwn.status()).isEqualTo(404);
        assertThat(viaOwn.code()).isEqualTo("waitpoint_not_found");
        Http.Reply completeViaOwn = other.post("/v1/scopes/other/waitpoints/" + wp + "/complete", "{\"data\":1}");
        assertThat(completeViaOwn.status()).isEqualTo(404);
        assertThat(completeViaOwn.code()).isEqualTo("waitpoint_not_found");
        assertThat(other.get("/v1/scopes/other/waitpoints").json().get("items")).isEmpty();
        assertThat(api.get(P + "/waitpoints/" + wp).json().get("status").asText()).isEqualTo("pending");
    }

    @Test
    void anUnknownOrMalformedSecretIsNotFoundAndNoSecretReachesTheLogOrTheAnswer() {
        String callback = callbackPath(createToken(null));
        String secret = callback.substring("/v1/callbacks/".length());
        String wrong = "wpc_" + "A".repeat(43);
        // Every line the server writes, successes included (the tests' config keeps it at WARN).
        var serverLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.runledger.server");
        var level = serverLog.getLevel();
        serverLog.setLevel(ch.qos.logback.classic.Level.DEBUG);
        try (LogCapture log = LogCapture.start()) {
            Http none = api.withKey(null);
            for (String path : new String[] {"/v1/callbacks/" + wrong, "/v1/callbacks/nope",
                    "/v1/callbacks/" + secret + "x"}) {
                Http.Reply r = none.post(path, "{}");
                assertThat(r.status()).as(r.toString()).isEqualTo(404);
                assertThat(r.code()).isEqualTo("waitpoint_not_found");
                assertThat(r.json().get("instance").asText()).isEqualTo("/v1/callbacks/{secret}");
                assertThat(r.toString()).doesNotContain(wrong).doesNotContain(secret).doesNotContain("nope");
            }
            Http.Reply tooDeep = none.post(callback, "[".repeat(100) + "]".repeat(100));
            assertThat(tooDeep.status()).isEqualTo(400);
            assertThat(tooDeep.toString()).doesNotContain(secret);
            Http.Reply broken = none.post(callback, "{");
            assertThat(broken.status()).isEqualTo(400);
            assertThat(broken.code()).isEqualTo("invalid_json");
            assertThat(broken.toString()).doesNotContain(secret);
            // Refused by Jetty before any route (an encoded NUL) or by the router: still no secret.
            for (String raw : new String[] {"/v1/callbacks/" + secret + "%00", "//v1/callbacks/" + secret,
                    "/v1/callbacks/" + secret + "/more"}) {
                RawHttp.Answer a = RawHttp.exchange(api.baseUrl(), "POST " + raw + " HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Length: 2\r\nConnection: close\r\n\r\n{}", false);
                assertThat(a.status()).as(raw + " " + a).isBetween(400, 404);
                assertThat(a.toString()).as(raw).doesNotContain(secret);
            }
            Http.Reply ok = none.post(callback, "{\"n\":1}");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(log.all()).contains("/v1/callbacks/{secret}").doesNotContain(secret).doesNotContain(wrong);
        } finally {
            serverLog.setLevel(level);
        }
    }
}

package io.runledger.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.ApiKeys;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.LogCapture;
import io.runledger.server.testing.RawHttp;
import io.runledger.server.testing.ServerTestBase;
import io.runledger.server.testing.Sse;
import io.runledger.server.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Run access tokens over HTTP: a token reads its one run (get, events, export, wait, stream),
 * by header or by {@code ?access_token=}, and nothing else; it dies with its key, its expiry,
 * or the admin key that issued it; and it never reaches a log line or an answer.
 */
class RunAccessTokensHttpTest extends ServerTestBase {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private static JsonNode newKey() {
        Http.Reply r = api.post(P + "/keys", null);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
    }

    private static Http.Reply issue(Http http, String scopePath, String runId, String body) {
        return http.post(scopePath + "/runs/" + runId + "/access-tokens", body);
    }

    private static String token(Http http, String runId, long ttlSeconds) {
        Http.Reply r = issue(http, P, runId, "{\"ttlSeconds\":" + ttlSeconds + "}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("token").asText();
    }

    /** A GET with the token in the query and no Authorization header, as a browser's EventSource sends it. */
    private static Http.Reply getWithQueryToken(String path, String token) {
        String sep = path.contains("?") ? "&" : "?";
        return new Http(api.baseUrl(), null).get(path + sep + "access_token=" + token);
    }

    private static long tokens() {
        return count("run_access_tokens");
    }

    @Test
    void issuingAnswers201WithTheTokenAndItsExpiryAndNothingToCache() {
        String runId = triggerRun();
        Instant before = Instant.now();
        Http.Reply r = issue(api.withKey(newKey().get("key").asText()), P, runId, "{\"ttlSeconds\":120}");

        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().get("token").asText()).startsWith("rlt_");
        assertThat(Instant.parse(r.json().get("expiresAt").asText()))
                .isBetween(before.plusSeconds(110), Instant.now().plusSeconds(130));
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        assertThat(r.header("Location")).isNull();
        Http.Reply byDefault = issue(api, P, runId, null);
        assertThat(byDefault.status()).as(byDefault.toString()).isEqualTo(201);
        assertThat(Instant.parse(byDefault.json().get("expiresAt").asText()))
                .isAfter(before.plus(Duration.ofMinutes(59)));
    }

    @Test
    void aTokenReadsItsRunByHeaderOrQueryAndNothingElse() {
        String runId = triggerRun();
        String lease = leaseOne("w").get("leaseToken").asText();
        String other = triggerRun();
        assertThat(api.post(P + "/runs/" + runId + "/events", "{\"leaseToken\":\"" + lease
                + "\",\"events\":[{\"type\":\"progress\",\"data\":{\"pct\":5}}]}").status()).isEqualTo(200);
        String token = token(api.withKey(newKey().get("key").asText()), runId, 600);
        Http bearer = api.withKey(token);
        String run = P + "/runs/" + runId;

        for (String read : List.of(run, run + "/events", run + "/events?after=1&limit=2", run + "/wait?timeoutSeconds=0",
                run + "/wait?timeoutSeconds=1")) {
            Http.Reply byHeader = bearer.get(read);
            assertThat(byHeader.status()).as(read + ": " + byHeader).isEqualTo(200);
            Http.Reply byQuery = getWithQueryToken(read, token);
            assertThat(byQuery.status()).as(read + "?access_token: " + byQuery).isEqualTo(200);
        }
        assertThat(bearer.get(run).json().get("runId").asText()).isEqualTo(runId);
        Http.Reply export = Http.send(new Http(api.baseUrl(), null)
                .request(run + "/events?access_token=" + token).header("Accept", "application/x-ndjson").GET().build());
        assertThat(export.status()).as(export.toString()).isEqualTo(200);
        assertThat(export.response().body().lines()).hasSize(3);
        Sse.Open stream = Sse.open(new Http(api.baseUrl(), null)
                .request(run + "/stream?eventNames=false&access_token=" + token).GET().build());
        try {
            assertThat(stream.response.statusCode()).isEqualTo(200);
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(stream.ids()).containsExactly(1L, 2L, 3L));
        } finally {
            stream.close();
        }

        // Another run of the scope, existing or not, is not found; another scope is not found either.
        for (String missing : List.of(other, "run_00000000000000000000000000")) {
            for (String path : List.of(P + "/runs/" + missing, P + "/runs/" + missing + "/events",
                    P + "/runs/" + missing + "/stream", P + "/runs/" + missing + "/wait?timeoutSeconds=0")) {
                Http.Reply r = getWithQueryToken(path, token);
                assertThat(r.status()).as(path + ": " + r).isEqualTo(404);
                assertThat(r.code()).isEqualTo("run_not_found");
                assertThat(bearer.get(path).code()).isEqualTo("run_not_found");
            }
        }
        assertThat(api.put("/v1/scopes/other", null).status()).isEqualTo(201);
        assertThat(bearer.get("/v1/scopes/other/runs/" + runId).code()).isEqualTo("scope_not_found");

        // Everything else is forbidden, even on its own run; nothing changes.
        List<Http.Reply> refused = List.of(
                bearer.get(P + "/runs"),
                bearer.get(run + "/steps"),
                bearer.get(run + "/messages"),
                bearer.post(run + "/children", "{}"),
                bearer.post(run + "/cancel", "{}"),
                bearer.post(run + "/signals", "{\"type\":\"approve\",\"data\":{}}"),
                bearer.post(run + "/access-tokens", "{}"),
                bearer.post(run + "/replay", "{}"),
                bearer.post(run + "/projection/rebuild", null),
                bearer.post(run + "/heartbeat", "{\"leaseToken\":\"" + lease + "\"}"),
                bearer.post(P + "/services/" + SERVICE + "/runs", "{\"input\":{}}"),
                bearer.post(P + "/services/" + SERVICE + "/runs:stream", "{\"input\":{}}"),
                bearer.get(P + "/services"),
                bearer.put(P + "/services/x", "{}"),
                bearer.post(P + "/workers/lease", "{\"workerId\":\"w\",\"services\":[\"work\"],\"max\":1}"),
                bearer.get(P + "/keys"),
                bearer.post(P + "/keys", null),
                bearer.put("/v1/scopes/new", null),
                new Http(api.baseUrl(), null).post(run + "/cancel?access_token=" + token, "{}"));
        for (Http.Reply r : refused) {
            assertThat(r.status()).as(r.toString()).isEqualTo(403);
            assertThat(r.code()).isEqualTo("forbidden");
        }
        assertThat(run(runId).get("status").asText()).isEqualTo("running");
        assertThat(run(runId).get("stopRequestedAt").isNull()).isTrue();
        assertThat(count("runs")).isEqualTo(2);
        assertThat(tokens()).isEqualTo(1);
        assertThat(bearer.get("/metrics").status()).isEqualTo(401);
    }

    @Test
    void onlyARunTokenMayComeInTheUrlAndNeverWithAHeader() {
        String runId = triggerRun();
        String key = newKey().get("key").asText();
        String token = token(api.withKey(key), runId, 600);
        String run = P + "/runs/" + runId;

        for (String notAToken : List.of(key, TestServer.ADMIN_KEY, "rlt_not-a-token", "")) {
            Http.Reply r = getWithQueryToken(run, notAToken);
            assertThat(r.status()).as(notAToken + ": " + r).isEqualTo(401);
            assertThat(r.code()).isEqualTo("unauthorized");
        }
        Http.Reply both = api.withKey(key).get(run + "?access_token=" + token);
        assertThat(both.status()).as(both.toString()).isEqualTo(400);
        assertThat(both.code()).isEqualTo("invalid_argument");
        assertThat(api.withKey("rlt_not-a-token").get(run).status()).isEqualTo(401);
    }

    @Test
    void anExpiredTokenIsRefusedAndAStreamReadWithItEndsWhenItExpires() {
        String runId = triggerRun();
        String token = token(api, runId, 2);
        String stream = P + "/runs/" + runId + "/stream?access_token=" + token;
        Sse.Open open = Sse.open(new Http(api.baseUrl(), null).request(stream).GET().build());
        assertThat(open.response.statusCode()).isEqualTo(200);
        long opened = System.nanoTime();
        await().atMost(PATIENCE).until(() -> open.ended);
        assertThat(Duration.ofNanos(System.nanoTime() - opened)).as("open until the token expired")
                .isGreaterThan(Duration.ofMillis(500));
        assertThat(open.ids()).containsExactly(1L);

        Http.Reply again = getWithQueryToken(P + "/runs/" + runId + "/stream", token);
        assertThat(again.status()).as(again.toString()).isEqualTo(401);
        assertThat(again.code()).isEqualTo("unauthorized");
        assertThat(again.json().get("detail").asText()).contains("expired");
        assertThat(api.withKey(token).get(P + "/runs/" + runId).status()).isEqualTo(401);
    }

    @Test
    void revokingTheKeyThatIssuedATokenRefusesItAtOnceAndOnlyIt() {
        String runId = triggerRun();
        JsonNode revoked = newKey();
        JsonNode kept = newKey();
        String dies = token(api.withKey(revoked.get("key").asText()), runId, 600);
        String lives = token(api.withKey(kept.get("key").asText()), runId, 600);
        String admins = token(api, runId, 600);
        assertThat(api.withKey(dies).get(P + "/runs/" + runId).status()).isEqualTo(200);

        assertThat(api.send("DELETE", P + "/keys/" + revoked.get("keyId").asText(), null, Map.of()).status())
                .isEqualTo(204);

        assertThat(getWithQueryToken(P + "/runs/" + runId, dies).status()).isEqualTo(401);
        assertThat(getWithQueryToken(P + "/runs/" + runId, lives).status()).isEqualTo(200);
        assertThat(getWithQueryToken(P + "/runs/" + runId, admins).status()).isEqualTo(200);
        assertThat(tokens()).as("the revoked key's token is gone with it").isEqualTo(2);
    }

    @Test
    void aTokenTheAdminKeyIssuedIsRefusedByAServerWithAnotherAdminKey() {
        String runId = triggerRun();
        String token = token(api, runId, 600);
        try (TestServer rotated = TestServer.start(b -> b.backgroundLoops(false),
                s -> s.adminKeyHash(ApiKeys.hash("rla_the-next-admin-key")))) {
            Http.Reply r = new Http(rotated.server.url(), token).get(P + "/runs/" + runId);
            assertThat(r.status()).as(r.toString()).isEqualTo(401);
            assertThat(r.code()).isEqualTo("unauthorized");
        }
        assertThat(api.withKey(token).get(P + "/runs/" + runId).status()).isEqualTo(200);
    }

    @Test
    void aBadIssueIsRefusedAndWritesNothing() {
        String runId = triggerRun();
        Http key = api.withKey(newKey().get("key").asText());
        Map<String, String> bad = Map.of(
                "{\"ttlSeconds\":0}", "invalid_argument",
                "{\"ttlSeconds\":-5}", "invalid_argument",
                "{\"ttlSeconds\":86401}", "invalid_argument",
                "{\"ttlSeconds\":99999999999999999999}", "invalid_argument",
                "{\"ttlSeconds\":\"soon\"}", "invalid_argument",
                "{\"ttlSeconds\":60,\"scope\":\"other\"}", "unknown_field",
                "{\"ttlSeconds\":", "invalid_json",
                "[60]", "invalid_json");
        bad.forEach((body, code) -> {
            Http.Reply r = issue(key, P, runId, body);
            assertThat(r.status()).as(body + ": " + r).isEqualTo(400);
            assertThat(r.code()).as(body).isEqualTo(code);
        });
        Http.Reply missing = issue(key, P, "run_00000000000000000000000000", "{}");
        assertThat(missing.status()).as(missing.toString()).isEqualTo(404);
        assertThat(missing.code()).isEqualTo("run_not_found");
        assertThat(issue(key, P, "not%20a%20run", "{}").code()).isEqualTo("run_not_found");
        assertThat(api.put("/v1/scopes/other", null).status()).isEqualTo(201);
        assertThat(issue(key, "/v1/scopes/other", runId, "{}").code()).isEqualTo("scope_not_found");
        assertThat(issue(api, "/v1/scopes/other", runId, "{}").code()).isEqualTo("run_not_found");
        assertThat(issue(new Http(api.baseUrl(), null), P, runId, "{}").status()).isEqualTo(401);
        assertThat(tokens()).isZero();
        assertThat(issue(key, P, runId, "{\"ttlSeconds\":86400}").status()).isEqualTo(201);
    }

    @Test
    void theTokenInTheUrlReachesNoLogLineAndNoAnswer() {
        String runId = triggerRun();
        String token = token(api, runId, 600);
        String expired = token(api, triggerRun(), 1);
        await().atMost(PATIENCE).until(() -> getWithQueryToken(P + "/runs/" + runId, expired).status() == 401);
        List<String> secrets = List.of(token, expired, "rlt_a-token-that-does-not-exist");
        // Every line the server writes, successes included (the tests' config keeps it at WARN).
        var serverLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.runledger.server");
        var level = serverLog.getLevel();
        serverLog.setLevel(ch.qos.logback.classic.Level.DEBUG);
        try (LogCapture log = LogCapture.start()) {
            assertThat(getWithQueryToken(P + "/runs/" + runId + "/events", token).status()).isEqualTo(200);
            List<Http.Reply> answers = new java.util.ArrayList<>();
            for (String t : secrets) {
                answers.add(new Http(api.baseUrl(), null).post(P + "/runs/" + runId + "/cancel?access_token=" + t,
                        "{}"));
                answers.add(getWithQueryToken(P + "/runs/" + triggerRun(), t));
                answers.add(getWithQueryToken(P + "/runs/" + runId + "/events?limit=0", t));
                answers.add(getWithQueryToken(P + "/nowhere", t));
                answers.add(api.get(P + "/runs/" + runId + "?access_token=" + t));
            }
            for (Http.Reply r : answers) {
                assertThat(r.status()).as(r.toString()).isBetween(400, 499);
                for (String t : secrets) {
                    assertThat(r.response().body()).as(r.toString()).doesNotContain(t).doesNotContain("access_token=");
                }
            }
            // A request Jetty itself refuses (a malformed escape) never reaches a route.
            RawHttp.Answer raw = RawHttp.exchange(api.baseUrl(), "GET " + P + "/runs/%zz/stream?access_token="
                    + token + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", false);
            assertThat(raw.status()).as(raw.toString()).isEqualTo(400);
            assertThat(raw.toString()).doesNotContain(token);
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(log.all())
                    .contains("-> 200", "-> 400", "-> 401", "-> 403", "-> 404"));
            for (String t : secrets) {
                assertThat(log.all()).doesNotContain(t).doesNotContain(t.substring(4));
            }
        } finally {
            serverLog.setLevel(level);
        }
    }

    @Test
    void aTokensStreamsCountAgainstTheKeyThatIssuedIt() {
        try (TestServer bounded = TestServer.start(b -> b.backgroundLoops(false), s -> s.maxStreams(1, 4))) {
            String runId = triggerRun();
            Http key = new Http(bounded.server.url(), newKey().get("key").asText());
            String first = token(key, runId, 600);
            String second = token(key, runId, 600);
            Http anonymous = new Http(bounded.server.url(), null);
            Sse.Open open = Sse.open(anonymous.request(P + "/runs/" + runId + "/stream?access_token=" + first)
                    .GET().build());
            try {
                assertThat(open.response.statusCode()).isEqualTo(200);
                Http.Reply refused = Http.send(anonymous.request(P + "/runs/" + runId + "/stream?access_token="
                        + second).GET().build());
                assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
                assertThat(refused.code()).isEqualTo("too_many_requests");
                Http.Reply byKey = Http.send(key.request(P + "/runs/" + runId + "/stream").GET().build());
                assertThat(byKey.status()).as("the key's own bound is taken").isEqualTo(429);
            } finally {
                open.close();
            }
        }
    }
}

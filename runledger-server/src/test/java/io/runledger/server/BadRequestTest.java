package io.runledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invariant 11: every endpoint answers bad input with a 4xx problem+json carrying the
 * right code, and writes nothing. Each case runs against a scope holding one running run,
 * so stale tokens and foreign scopes have something real to be refused.
 *
 * <p>Since no case may write anything, the cases share one fixture, built before the
 * first: a case that wrote something fails on its own check of every table's rows (and of
 * the runs' states), so it cannot pass by leaning on a neighbour's writes.
 */
class BadRequestTest extends ServerTestBase {
    private static final List<String> TABLES =
            List.of("scopes", "services", "scope_keys", "runs", "run_events", "idempotency_keys", "workers",
                    "waitpoints", "suspensions", "run_waits", "run_steps", "webhooks", "alert_failures");
    private static final String MISSING_RUN = "run_01jzzzzzzzzzzzzzzzzzzzzzzz";
    private static final String STALE = "00000000-0000-0000-0000-000000000000";

    private static String runId;
    private static String token;
    private static String acmeKey;
    private static String otherKey;

    /** One bad request; {@code {run}} and {@code {token}} in path or body are the live run's. */
    record Case(String name, String method, String path, String body, int status, String code, String as) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case c(String name, String method, String path, String body, int status, String code) {
        return new Case(name, method, path, body, status, code, "admin");
    }

    static Case c(String name, String method, String path, String body, int status, String code, String as) {
        return new Case(name, method, path, body, status, code, as);
    }

    static Stream<Case> cases() {
        return Stream.concat(coreCases(), BadOrchestrationRequests.cases());
    }

    private static Stream<Case> coreCases() {
        String trig = P + "/services/work/runs";
        String run = P + "/runs/{run}";
        return Stream.of(
                // admin and setup
                c("scope: bad name", "PUT", "/v1/scopes/Bad_Name", null, 400, "invalid_name"),
                c("scope: unknown field", "PUT", "/v1/scopes/newscope", "{\"owner\":\"x\"}", 400, "unknown_field"),
                c("scope: not an object", "PUT", "/v1/scopes/newscope", "[1]", 400, "invalid_json"),
                c("scope: by a scope key", "PUT", "/v1/scopes/newscope", null, 403, "forbidden", "acme"),
                c("keys: unknown scope", "POST", "/v1/scopes/nosuch/keys", null, 404, "scope_not_found"),
                c("keys: by a scope key", "POST", P + "/keys", null, 403, "forbidden", "acme"),
                c("service: string for int", "PUT", P + "/services/svc2", "{\"maxAttempts\":\"3\"}", 400,
                        "invalid_argument"),
                c("service: float for int", "PUT", P + "/services/svc2", "{\"maxAttempts\":1.5}", 400,
                        "invalid_argument"),
                c("service: out of range", "PUT", P + "/services/svc2", "{\"maxAttempts\":0}", 400,
                        "invalid_argument"),
                c("service: ttl out of range", "PUT", P + "/services/svc2", "{\"leaseTtlSeconds\":999999}", 400,
                        "invalid_argument"),
                c("service: unknown field", "PUT", P + "/services/svc2", "{\"retries\":3}", 400, "unknown_field"),
                c("service: malformed", "PUT", P + "/services/svc2", "{\"maxAttempts\":", 400, "invalid_json"),
                c("service: bad name", "PUT", P + "/services/Svc!", "{}", 400, "invalid_name"),
                c("service: foreign scope", "PUT", P + "/services/svc2", "{}", 404, "scope_not_found", "other"),
                c("service get: unknown", "GET", P + "/services/nosuch", null, 404, "service_not_found"),
                c("services: foreign scope", "GET", P + "/services", null, 404, "scope_not_found", "other"),
                // webhooks and alerts
                c("webhook: unknown kind", "PUT", P + "/webhooks/pager",
                        "{\"url\":\"https://example.com/\",\"kind\":\"pager\"}", 400, "invalid_argument"),
                c("webhook: window a string", "PUT", P + "/webhooks/pager",
                        "{\"url\":\"https://example.com/\",\"kind\":\"alert\",\"windowSeconds\":\"5\"}", 400,
                        "invalid_argument"),
                c("webhook: window of zero", "PUT", P + "/webhooks/pager",
                        "{\"url\":\"https://example.com/\",\"kind\":\"alert\",\"windowSeconds\":0}", 400,
                        "invalid_argument"),
                c("webhook: window on an event webhook", "PUT", P + "/webhooks/pager",
                        "{\"url\":\"https://example.com/\",\"events\":[\"run.*\"],\"windowSeconds\":60}", 400,
                        "invalid_argument"),
                c("webhook: run events on an alert", "PUT", P + "/webhooks/pager",
                        "{\"url\":\"https://example.com/\",\"kind\":\"alert\",\"events\":[\"run.*\"]}", 400,
                        "invalid_argument"),
                c("webhook: unknown field", "PUT", P + "/webhooks/pager",
                        "{\"url\":\"https://example.com/\",\"kind\":\"alert\",\"window\":60}", 400,
                        "unknown_field"),
                // trigger
                c("trigger: malformed", "POST", trig, "{\"input\":", 400, "invalid_json"),
                c("trigger: trailing garbage", "POST", trig, "{\"input\":1} x", 400, "invalid_json"),
                c("trigger: duplicate key", "POST", trig, "{\"input\":1,\"input\":2}", 400, "invalid_json"),
                c("trigger: a string body", "POST", trig, "\"run it\"", 400, "invalid_json"),
                c("trigger: empty body", "POST", trig, "", 400, "invalid_json"),
                c("trigger: missing input", "POST", trig, "{}", 400, "invalid_argument"),
                c("trigger: unknown field", "POST", trig, "{\"input\":1,\"urgency\":1}", 400, "unknown_field"),
                c("trigger: priority above 100", "POST", trig, "{\"input\":1,\"priority\":101}", 400,
                        "invalid_argument"),
                c("trigger: priority below -100", "POST", trig, "{\"input\":1,\"priority\":-101}", 400,
                        "invalid_argument"),
                c("trigger: priority a string", "POST", trig, "{\"input\":1,\"priority\":\"x\"}", 400,
                        "invalid_argument"),
                c("trigger: priority a fraction", "POST", trig, "{\"input\":1,\"priority\":1.5}", 400,
                        "invalid_argument"),
                c("batch: item priority above 100", "POST", P + "/services/work/batches",
                        "{\"items\":[{\"input\":1},{\"input\":2,\"priority\":101}]}", 400, "invalid_argument"),
                c("trigger: onDisconnect on plain trigger", "POST", trig, "{\"input\":1,\"onDisconnect\":\"cancel\"}",
                        400, "unknown_field"),
                c("trigger: wrong type", "POST", trig, "{\"input\":1,\"maxAttempts\":\"x\"}", 400, "invalid_argument"),
                c("trigger: int overflow", "POST", trig, "{\"input\":1,\"maxAttempts\":99999999999}", 400,
                        "invalid_argument"),
                c("trigger: negative delay", "POST", trig, "{\"input\":1,\"delaySeconds\":-1}", 400,
                        "invalid_argument"),
                c("trigger: tags not a list", "POST", trig, "{\"input\":1,\"tags\":\"t\"}", 400, "invalid_argument"),
                c("trigger: bad onConflict", "POST", trig,
                        "{\"input\":1,\"concurrencyKey\":\"k\",\"onConflict\":\"maybe\"}", 400, "invalid_argument"),
                c("trigger: bad runAt", "POST", trig, "{\"input\":1,\"runAt\":\"tomorrow\"}", 400,
                        "invalid_argument"),
                c("trigger: runAt and delay", "POST", trig,
                        "{\"input\":1,\"runAt\":\"2030-01-01T00:00:00Z\",\"delaySeconds\":5}", 400, "invalid_argument"),
                c("trigger: NUL in input", "POST", trig, "{\"input\":\"a\\u0000b\"}", 400, "invalid_argument"),
                c("trigger: null tag", "POST", trig, "{\"input\":1,\"tags\":[null]}", 400, "invalid_argument"),
                c("trigger: runAt beyond the horizon", "POST", trig,
                        "{\"input\":1,\"runAt\":\"+999999999-12-31T23:59:59Z\"}", 400, "invalid_argument"),
                c("trigger: runAt before 1970", "POST", trig, "{\"input\":1,\"runAt\":\"-5000-01-01T00:00:00Z\"}",
                        400, "invalid_argument"),
                c("trigger: number beyond a double", "POST", trig, "{\"input\":1e999999}", 400, "invalid_argument"),
                c("trigger: unpaired surrogate", "POST", trig, "{\"input\":\"\\ud800\"}", 400, "invalid_argument"),
                c("trigger: nesting too deep", "POST", trig, "{\"input\":" + "[".repeat(2000) + "]".repeat(2000) + "}",
                        400, "invalid_argument"),
                c("trigger: metadata not an object", "POST", trig, "{\"input\":1,\"metadata\":[1]}", 400,
                        "invalid_argument"),
                c("trigger: unknown parent", "POST", trig, "{\"input\":1,\"parentRunId\":\"" + MISSING_RUN + "\"}",
                        400, "invalid_argument"),
                c("trigger: unknown service", "POST", P + "/services/nosuch/runs", "{\"input\":1}", 404,
                        "service_not_found"),
                c("trigger: bad service name", "POST", P + "/services/NO/runs", "{\"input\":1}", 400,
                        "invalid_name"),
                c("trigger: foreign scope", "POST", trig, "{\"input\":1}", 404, "scope_not_found", "other"),
                c("trigger: bad scope name", "POST", "/v1/scopes/-x/services/work/runs", "{\"input\":1}", 400,
                        "invalid_name"),
                c("trigger: no key", "POST", trig, "{\"input\":1}", 401, "unauthorized", "none"),
                c("trigger: wrong key", "POST", trig, "{\"input\":1}", 401, "unauthorized", "wrong"),
                c("stream trigger: bad onDisconnect", "POST", P + "/services/work/runs:stream",
                        "{\"input\":1,\"onDisconnect\":\"sometimes\"}", 400, "invalid_argument"),
                c("stream trigger: malformed", "POST", P + "/services/work/runs:stream", "{", 400, "invalid_json"),
                c("stream trigger: unknown field", "POST", P + "/services/work/runs:stream",
                        "{\"input\":1,\"x\":1}", 400, "unknown_field"),
                // reads
                c("list: limit 0", "GET", P + "/runs?limit=0", null, 400, "invalid_argument"),
                c("list: limit 201", "GET", P + "/runs?limit=201", null, 400, "invalid_argument"),
                c("list: limit not a number", "GET", P + "/runs?limit=ten", null, 400, "invalid_argument"),
                c("list: bad status", "GET", P + "/runs?status=done", null, 400, "invalid_argument"),
                c("list: unknown health", "GET", P + "/runs?health=sick", null, 400, "invalid_argument"),
                c("list: health in capitals", "GET", P + "/runs?health=STUCK", null, 400, "invalid_argument"),
                c("list: stuckAfterSeconds 0", "GET", P + "/runs?health=stuck&stuckAfterSeconds=0", null, 400,
                        "invalid_argument"),
                c("list: stuckAfterSeconds too big", "GET", P + "/runs?health=stuck&stuckAfterSeconds=2592001", null,
                        400, "invalid_argument"),
                c("list: stuckAfterSeconds not a number", "GET", P + "/runs?stuckAfterSeconds=5m", null, 400,
                        "invalid_argument"),
                c("list: silentForSeconds negative", "GET", P + "/runs?health=silent&silentForSeconds=-1", null, 400,
                        "invalid_argument"),
                c("list: silentForSeconds too big", "GET", P + "/runs?silentForSeconds=99999999999", null, 400,
                        "invalid_argument"),
                c("list: bad cursor", "GET", P + "/runs?cursor=%25%25", null, 400, "invalid_argument"),
                c("list: bad service name", "GET", P + "/runs?service=A!", null, 400, "invalid_name"),
                c("list: foreign scope", "GET", P + "/runs", null, 404, "scope_not_found", "other"),
                c("list: NUL in a filter", "GET", P + "/runs?tag=%00", null, 400, "invalid_argument"),
                c("list: NUL in concurrencyKey", "GET", P + "/runs?concurrencyKey=a%00", null, 400, "invalid_argument"),
                c("list: NUL in parentRunId", "GET", P + "/runs?parentRunId=%00", null, 400, "invalid_argument"),
                c("get: NUL in the path", "GET", P + "/runs/run%00x", null, 400, "invalid_argument"),
                c("get: malformed id", "GET", P + "/runs/not-a-run", null, 404, "run_not_found"),
                c("get: unknown id", "GET", P + "/runs/" + MISSING_RUN, null, 404, "run_not_found"),
                c("get: foreign scope", "GET", run, null, 404, "scope_not_found", "other"),
                c("wait: negative timeout", "GET", run + "/wait?timeoutSeconds=-1", null, 400, "invalid_argument"),
                c("wait: timeout too long", "GET", run + "/wait?timeoutSeconds=301", null, 400, "invalid_argument"),
                c("wait: unknown run", "GET", P + "/runs/" + MISSING_RUN + "/wait?timeoutSeconds=1", null, 404,
                        "run_not_found"),
                c("events: negative after", "GET", run + "/events?after=-1", null, 400, "invalid_argument"),
                c("events: limit 0", "GET", run + "/events?limit=0", null, 400, "invalid_argument"),
                c("events: unknown run", "GET", P + "/runs/" + MISSING_RUN + "/events", null, 404, "run_not_found"),
                c("stream: bad after", "GET", run + "/stream?after=x", null, 400, "invalid_argument"),
                c("stream: unknown run", "GET", P + "/runs/run_x/stream", null, 404, "run_not_found"),
                c("cancel: wrong type", "POST", run + "/cancel", "{\"reason\":5}", 400, "invalid_argument"),
                c("cancel: unknown field", "POST", run + "/cancel", "{\"why\":\"x\"}", 400, "unknown_field"),
                c("cancel: unknown run", "POST", P + "/runs/" + MISSING_RUN + "/cancel", null, 404, "run_not_found"),
                c("cancel: foreign scope", "POST", run + "/cancel", null, 404, "scope_not_found", "other"),
                c("rebuild: unknown run", "POST", P + "/runs/" + MISSING_RUN + "/projection/rebuild", null, 404,
                        "run_not_found"),
                // workers
                c("lease: empty object", "POST", P + "/workers/lease", "{}", 400, "invalid_argument"),
                c("lease: no services", "POST", P + "/workers/lease", "{\"workerId\":\"w\",\"services\":[]}", 400,
                        "invalid_argument"),
                c("lease: services not a list", "POST", P + "/workers/lease",
                        "{\"workerId\":\"w\",\"services\":\"work\"}", 400, "invalid_argument"),
                c("lease: unknown service", "POST", P + "/workers/lease",
                        "{\"workerId\":\"w\",\"services\":[\"nosuch\"]}", 404, "service_not_found"),
                c("lease: null service", "POST", P + "/workers/lease", "{\"workerId\":\"w\",\"services\":[null]}",
                        400, "invalid_argument"),
                c("lease: max 0", "POST", P + "/workers/lease",
                        "{\"workerId\":\"w\",\"services\":[\"work\"],\"max\":0}", 400, "invalid_argument"),
                c("lease: wait too long", "POST", P + "/workers/lease",
                        "{\"workerId\":\"w\",\"services\":[\"work\"],\"waitSeconds\":61}", 400, "invalid_argument"),
                c("lease: unknown field", "POST", P + "/workers/lease",
                        "{\"workerId\":\"w\",\"services\":[\"work\"],\"queue\":\"q\"}", 400, "unknown_field"),
                c("lease: malformed", "POST", P + "/workers/lease", "{\"workerId\"", 400, "invalid_json"),
                c("lease: foreign scope", "POST", P + "/workers/lease",
                        "{\"workerId\":\"w\",\"services\":[\"work\"]}", 404, "scope_not_found", "other"),
                c("workers: foreign scope", "GET", P + "/workers", null, 404, "scope_not_found", "other"),
                c("heartbeat: stale token", "POST", run + "/heartbeat", "{\"leaseToken\":\"" + STALE + "\"}", 409,
                        "lease_lost"),
                c("heartbeat: missing token", "POST", run + "/heartbeat", "{}", 400, "invalid_argument"),
                c("heartbeat: token wrong type", "POST", run + "/heartbeat", "{\"leaseToken\":1}", 400,
                        "invalid_argument"),
                c("heartbeat: unknown run", "POST", P + "/runs/" + MISSING_RUN + "/heartbeat",
                        "{\"leaseToken\":\"{token}\"}", 404, "run_not_found"),
                c("append: stale token", "POST", run + "/events",
                        "{\"leaseToken\":\"" + STALE + "\",\"events\":[{\"type\":\"log\",\"data\":1}]}", 409,
                        "lease_lost"),
                c("append: server event type", "POST", run + "/events",
                        "{\"leaseToken\":\"{token}\",\"events\":[{\"type\":\"run.succeeded\",\"data\":1}]}", 400,
                        "invalid_argument"),
                c("append: no events", "POST", run + "/events", "{\"leaseToken\":\"{token}\",\"events\":[]}", 400,
                        "invalid_argument"),
                c("append: events missing", "POST", run + "/events", "{\"leaseToken\":\"{token}\"}", 400,
                        "invalid_argument"),
                c("append: unknown event field", "POST", run + "/events",
                        "{\"leaseToken\":\"{token}\",\"events\":[{\"type\":\"log\",\"level\":1}]}", 400,
                        "unknown_field"),
                c("append: data over 64 KiB", "POST", run + "/events",
                        "{\"leaseToken\":\"{token}\",\"events\":[{\"type\":\"log\",\"data\":\"" + "x".repeat(70_000)
                                + "\"}]}", 413, "payload_too_large"),
                c("complete: stale token", "POST", run + "/complete",
                        "{\"leaseToken\":\"" + STALE + "\",\"output\":1}", 409, "lease_lost"),
                c("complete: unknown run", "POST", P + "/runs/" + MISSING_RUN + "/complete",
                        "{\"leaseToken\":\"{token}\",\"output\":1}", 404, "run_not_found"),
                c("complete: foreign scope", "POST", run + "/complete", "{\"leaseToken\":\"{token}\",\"output\":1}",
                        404, "scope_not_found", "other"),
                c("fail: stale token", "POST", run + "/fail", "{\"leaseToken\":\"" + STALE
                        + "\",\"error\":{\"code\":\"e\",\"message\":\"m\"},\"retryable\":true}", 409, "lease_lost"),
                c("fail: error missing", "POST", run + "/fail", "{\"leaseToken\":\"{token}\"}", 400,
                        "invalid_argument"),
                c("fail: error without message", "POST", run + "/fail",
                        "{\"leaseToken\":\"{token}\",\"error\":{\"code\":\"e\"}}", 400, "invalid_argument"),
                c("fail: error a string", "POST", run + "/fail", "{\"leaseToken\":\"{token}\",\"error\":\"boom\"}",
                        400, "invalid_argument"),
                c("fail: retryable a string", "POST", run + "/fail",
                        "{\"leaseToken\":\"{token}\",\"error\":{\"code\":\"e\",\"message\":\"m\"},\"retryable\":\"yes\"}",
                        400, "invalid_argument"),
                // batched worker calls: the call as a whole is refused, nothing is written
                c("runs:complete: no items", "POST", P + "/runs:complete", "{\"items\":[]}", 400,
                        "invalid_argument"),
                c("runs:complete: items missing", "POST", P + "/runs:complete", "{}", 400, "invalid_argument"),
                c("runs:complete: over 1,000 items", "POST", P + "/runs:complete", items(1001), 400,
                        "invalid_argument"),
                c("runs:complete: an item not an object", "POST", P + "/runs:complete", "{\"items\":[42]}", 400,
                        "invalid_argument"),
                c("runs:complete: a null item", "POST", P + "/runs:complete", "{\"items\":[null]}", 400,
                        "invalid_argument"),
                c("runs:complete: unknown item field", "POST", P + "/runs:complete",
                        "{\"items\":[{\"runId\":\"{run}\",\"leaseToken\":\"{token}\",\"x\":1}]}", 400,
                        "unknown_field"),
                c("runs:complete: one run twice", "POST", P + "/runs:complete",
                        "{\"items\":[{\"runId\":\"{run}\",\"leaseToken\":\"{token}\"},"
                                + "{\"runId\":\"{run}\",\"leaseToken\":\"{token}\"}]}", 400, "invalid_argument"),
                c("runs:complete: malformed", "POST", P + "/runs:complete", "{\"items\":[{\"runId\"", 400,
                        "invalid_json"),
                c("runs:complete: foreign scope", "POST", P + "/runs:complete",
                        "{\"items\":[{\"runId\":\"{run}\",\"leaseToken\":\"{token}\"}]}", 404,
                        "scope_not_found", "other"),
                c("runs:fail: no items", "POST", P + "/runs:fail", "{\"items\":[]}", 400, "invalid_argument"),
                c("runs:fail: an error a string", "POST", P + "/runs:fail",
                        "{\"items\":[{\"runId\":\"{run}\",\"leaseToken\":\"{token}\",\"error\":\"boom\"}]}",
                        400, "invalid_argument"),
                c("runs:fail: over 1,000 items", "POST", P + "/runs:fail", items(1001), 400, "invalid_argument"),
                c("workers/heartbeat: no items", "POST", P + "/workers/heartbeat", "{\"items\":[]}", 400,
                        "invalid_argument"),
                c("workers/heartbeat: over 1,000 items", "POST", P + "/workers/heartbeat", items(1001), 400,
                        "invalid_argument"),
                c("workers/heartbeat: items not a list", "POST", P + "/workers/heartbeat", "{\"items\":{}}", 400,
                        "invalid_argument"),
                c("workers/heartbeat: without a key", "POST", P + "/workers/heartbeat",
                        "{\"items\":[{\"runId\":\"{run}\",\"leaseToken\":\"{token}\"}]}", 401, "unauthorized",
                        "none"),
                // no such endpoint
                c("unknown route", "GET", "/v1/nothing", null, 404, "not_found"));
    }

    /** A batch body of {@code n} distinct runs, all unknown. */
    private static String items(int n) {
        StringBuilder b = new StringBuilder("{\"items\":[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("{\"runId\":\"r").append(i).append("\",\"leaseToken\":\"t\"}");
        }
        return b.append("]}").toString();
    }

    /** The lease must outlive the class: a recovery in the middle would write events. */
    @Override
    protected String serviceSpec() {
        return "{\"maxAttempts\":3,\"leaseTtlSeconds\":3600}";
    }

    /** Replaces the base class's fresh scope per test with one fixture for the class. */
    @Override
    @BeforeEach
    protected void freshScope() {
        if (runId != null) {
            return;
        }
        super.freshScope();
        runId = triggerRun();
        token = leaseOne("w1").get("leaseToken").asText();
        acmeKey = api.post(P + "/keys", null).json().get("key").asText();
        api.put("/v1/scopes/other", null);
        otherKey = api.post("/v1/scopes/other/keys", null).json().get("key").asText();
    }

    @AfterAll
    static void forgetFixture() {
        runId = null;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badRequestIsAProblemAndWritesNothing(Case c) {
        Map<String, Long> before = counts();
        Http http = switch (c.as()) {
            case "admin" -> api;
            case "acme" -> api.withKey(acmeKey);
            case "other" -> api.withKey(otherKey);
            case "wrong" -> api.withKey("rlk_not-a-key");
            case "none" -> api.withKey(null);
            default -> throw new IllegalArgumentException(c.as());
        };
        String path = c.path().replace("{run}", runId);
        String body = c.body() == null ? null : c.body().replace("{token}", token);
        Http.Reply r = http.send(c.method(), path, body, Map.of());
        assertProblem(r, c.status(), c.code());
        if (c.code().equals("unknown_field")) {
            assertThat(r.json().get("field").asText()).as(r.toString()).isIn("owner", "retries", "urgency",
                    "onDisconnect", "x", "why", "queue", "events[0].level", "items[0].x", "retry.x",
                    "waitpoints[0].x", "window");
        }
        assertThat(counts()).as("rows after %s", c.name()).isEqualTo(before);
    }

    @Test
    void bodiesOverOneMebibyteAreRefusedWhetherDeclaredOrStreamed() {
        Map<String, Long> before = counts();
        String huge = "{\"input\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}";
        assertProblem(trigger(huge), 413, "payload_too_large");

        // No Content-Length: the limit holds on the bytes actually read.
        HttpRequest chunked = api.request(P + "/services/work/runs")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge.getBytes())))
                .build();
        assertProblem(Http.send(chunked), 413, "payload_too_large");
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void idempotencyKeyInHeaderAndBodyMustAgree() {
        Map<String, Long> before = counts();
        Http.Reply r = api.send("POST", P + "/services/work/runs", "{\"input\":1,\"idempotencyKey\":\"a\"}",
                Map.of("Idempotency-Key", "b"));
        assertProblem(r, 400, "invalid_argument");
        assertThat(counts()).isEqualTo(before);
    }

    private static void assertProblem(Http.Reply r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).as(r.toString()).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).as(r.toString()).isEqualTo(code);
        assertThat(r.json().get("status").asInt()).isEqualTo(status);
        assertThat(r.json().get("type").asText()).isEqualTo("urn:runledger:problem:" + code);
        String path = r.response().uri().getRawPath();
        if (!path.contains("%00")) { // Jetty refuses it: no usable instance
            // the path as sent, but never a callback URL's secret
            String instance = path.startsWith("/v1/callbacks/") ? "/v1/callbacks/{secret}" : path;
            assertThat(r.json().get("instance").asText()).isEqualTo(instance);
        }
        assertThat(r.json().get("title").asText()).isNotEmpty();
        assertThat(r.json().get("detail").asText()).isNotEmpty();
    }

    /**
     * Every table's row count, and a digest of the runs' states (a write need not add a
     * row), in one statement: a connection per table made the check slower than the cases.
     */
    private static Map<String, Long> counts() {
        StringBuilder sql = new StringBuilder("select ");
        TABLES.forEach(t -> sql.append("(select count(*) from ").append(t).append("), "));
        sql.append("(select coalesce(sum(hashtext(run_id || status || attempt || last_seq"
                + " || coalesce(lease_token, '') || coalesce(stop_requested_at::text, ''))), 0) from runs)");
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql.toString())) {
            rs.next();
            for (int i = 0; i < TABLES.size(); i++) {
                counts.put(TABLES.get(i), rs.getLong(i + 1));
            }
            counts.put("runs state", rs.getLong(TABLES.size() + 1));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return counts;
    }
}

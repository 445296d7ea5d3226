package io.runledger.server;

import static io.runledger.server.BadRequestTest.c;

import io.runledger.server.BadRequestTest.Case;
import java.util.stream.Stream;

/**
 * The bad requests of the orchestration routes (retry policies, suspend, steps, children,
 * replay, waitpoints, callbacks), run by {@link BadRequestTest} like every other case:
 * exact status and code, nothing written.
 */
final class BadOrchestrationRequests {
    private static final String P = "/v1/scopes/acme";
    private static final String RUN = P + "/runs/{run}";
    private static final String MISSING_RUN = "run_01jzzzzzzzzzzzzzzzzzzzzzzz";
    private static final String STALE = "00000000-0000-0000-0000-000000000000";
    private static final String TOKEN_WP = "{\"kind\":\"token\",\"waitpointId\":\"wp_nosuch\"}";

    private BadOrchestrationRequests() {
    }

    private static String suspend(String rest) {
        return "{\"leaseToken\":\"{token}\",\"step\":\"s\"," + rest + "}";
    }

    private static String child(String rest) {
        return "{\"leaseToken\":\"{token}\",\"step\":\"c\",\"service\":\"work\",\"input\":1" + rest + "}";
    }

    static Stream<Case> cases() {
        String trig = P + "/services/work/runs";
        String fail = "{\"leaseToken\":\"{token}\",\"error\":{\"code\":\"e\",\"message\":\"m\"},\"retryable\":true,";
        return Stream.of(
                // retry policies and retry delays
                c("service: retry unknown field", "PUT", P + "/services/svc2", "{\"retry\":{\"x\":1}}", 400,
                        "unknown_field"),
                c("service: retry factor a string", "PUT", P + "/services/svc2", "{\"retry\":{\"factor\":\"2\"}}",
                        400, "invalid_argument"),
                c("service: retry jitter out of range", "PUT", P + "/services/svc2", "{\"retry\":{\"jitter\":5}}",
                        400, "invalid_argument"),
                c("service: retry not an object", "PUT", P + "/services/svc2", "{\"retry\":[1]}", 400,
                        "invalid_argument"),
                c("trigger: retry unknown field", "POST", trig, "{\"input\":1,\"retry\":{\"x\":1}}", 400,
                        "unknown_field"),
                c("trigger: retry negative delay", "POST", trig,
                        "{\"input\":1,\"retry\":{\"initialDelaySeconds\":-1}}", 400, "invalid_argument"),
                c("trigger: retry factor below one", "POST", trig, "{\"input\":1,\"retry\":{\"factor\":0.5}}", 400,
                        "invalid_argument"),
                c("batch: item retry wrong type", "POST", P + "/services/work/batches",
                        "{\"items\":[{\"input\":1,\"retry\":{\"jitter\":true}}]}", 400, "invalid_argument"),
                c("fail: negative retryAfterSeconds", "POST", RUN + "/fail", fail + "\"retryAfterSeconds\":-1}", 400,
                        "invalid_argument"),
                c("fail: retryAfterSeconds a string", "POST", RUN + "/fail", fail + "\"retryAfterSeconds\":\"5\"}",
                        400, "invalid_argument"),
                c("fail: retryAfterSeconds beyond a week", "POST", RUN + "/fail",
                        fail + "\"retryAfterSeconds\":1e9}", 400, "invalid_argument"),
                c("fail: retryAfterSeconds a 400-digit integer", "POST", RUN + "/fail",
                        fail + "\"retryAfterSeconds\":1" + "0".repeat(400) + "}", 400, "invalid_argument"),
                c("trigger: retry factor a 400-digit integer", "POST", trig,
                        "{\"input\":1,\"retry\":{\"factor\":1" + "0".repeat(400) + "}}", 400, "invalid_argument"),
                c("suspend: seconds a 400-digit integer", "POST", RUN + "/suspend",
                        suspend("\"waitpoints\":[{\"kind\":\"duration\",\"seconds\":1" + "0".repeat(400) + "}]"), 400,
                        "invalid_argument"),
                c("runs:fail: item retryAfterSeconds a string", "POST", P + "/runs:fail",
                        "{\"items\":[{\"runId\":\"{run}\"," + fail.substring(1) + "\"retryAfterSeconds\":\"5\"}]}",
                        400, "invalid_argument"),
                c("cancel: cascade a string", "POST", RUN + "/cancel", "{\"cascade\":\"yes\"}", 400,
                        "invalid_argument"),
                // suspend
                c("suspend: unknown field", "POST", RUN + "/suspend", suspend("\"waitpoints\":[" + TOKEN_WP
                        + "],\"x\":1"), 400, "unknown_field"),
                c("suspend: unknown waitpoint field", "POST", RUN + "/suspend",
                        suspend("\"waitpoints\":[{\"kind\":\"duration\",\"seconds\":1,\"x\":1}]"), 400,
                        "unknown_field"),
                c("suspend: without leaseToken", "POST", RUN + "/suspend",
                        "{\"step\":\"s\",\"waitpoints\":[{\"kind\":\"duration\",\"seconds\":1}]}", 400,
                        "invalid_argument"),
                c("suspend: bad kind", "POST", RUN + "/suspend", suspend("\"waitpoints\":[{\"kind\":\"forever\"}]"),
                        400, "invalid_argument"),
                c("suspend: kind missing", "POST", RUN + "/suspend", suspend("\"waitpoints\":[{\"seconds\":1}]"),
                        400, "invalid_argument"),
                c("suspend: kind a number", "POST", RUN + "/suspend", suspend("\"waitpoints\":[{\"kind\":5}]"), 400,
                        "invalid_argument"),
                c("suspend: duration with seconds and until", "POST", RUN + "/suspend",
                        suspend("\"waitpoints\":[{\"kind\":\"duration\",\"seconds\":1,"
                                + "\"until\":\"2030-01-01T00:00:00Z\"}]"), 400, "invalid_argument"),
                c("suspend: token without its id", "POST", RUN + "/suspend",
                        suspend("\"waitpoints\":[{\"kind\":\"token\"}]"), 400, "invalid_argument"),
                c("suspend: negative seconds", "POST", RUN + "/suspend",
                        suspend("\"waitpoints\":[{\"kind\":\"duration\",\"seconds\":-1}]"), 400, "invalid_argument"),
                c("suspend: until not a timestamp", "POST", RUN + "/suspend",
                        suspend("\"waitpoints\":[{\"kind\":\"duration\",\"until\":\"tomorrow\"}]"), 400,
                        "invalid_argument"),
                c("suspend: no waitpoints", "POST", RUN + "/suspend", suspend("\"waitpoints\":[]"), 400,
                        "invalid_argument"),
                c("suspend: waitpoints missing", "POST", RUN + "/suspend", "{\"leaseToken\":\"{token}\",\"step\":\"s\"}",
                        400, "invalid_argument"),
                c("suspend: waitpoints not a list", "POST", RUN + "/suspend", suspend("\"waitpoints\":\"x\""), 400,
                        "invalid_argument"),
                c("suspend: a null waitpoint", "POST", RUN + "/suspend", suspend("\"waitpoints\":[null]"), 400,
                        "invalid_argument"),
                c("suspend: bad onTimeout", "POST", RUN + "/suspend", suspend("\"waitpoints\":[" + TOKEN_WP
                        + "],\"onTimeout\":\"explode\""), 400, "invalid_argument"),
                c("suspend: timeoutSeconds zero", "POST", RUN + "/suspend", suspend("\"waitpoints\":[" + TOKEN_WP
                        + "],\"timeoutSeconds\":0"), 400, "invalid_argument"),
                c("suspend: invalid step name", "POST", RUN + "/suspend",
                        "{\"leaseToken\":\"{token}\",\"step\":\"a b\",\"waitpoints\":[" + TOKEN_WP + "]}", 400,
                        "invalid_argument"),
                c("suspend: unknown token", "POST", RUN + "/suspend", suspend("\"waitpoints\":[" + TOKEN_WP + "]"),
                        404, "waitpoint_not_found"),
                c("suspend: stale token", "POST", RUN + "/suspend", "{\"leaseToken\":\"" + STALE
                        + "\",\"step\":\"s\",\"waitpoints\":[{\"kind\":\"duration\",\"seconds\":1}]}", 409,
                        "lease_lost"),
                c("suspend: unknown run", "POST", P + "/runs/" + MISSING_RUN + "/suspend",
                        suspend("\"waitpoints\":[{\"kind\":\"duration\",\"seconds\":1}]"), 404, "run_not_found"),
                c("suspend: foreign scope", "POST", RUN + "/suspend",
                        suspend("\"waitpoints\":[{\"kind\":\"duration\",\"seconds\":1}]"), 404, "scope_not_found",
                        "other"),
                // durable steps
                c("step: invalid name", "POST", RUN + "/steps/a%20b", "{\"leaseToken\":\"{token}\",\"output\":1}",
                        400, "invalid_argument"),
                c("step: name too long", "POST", RUN + "/steps/" + "s".repeat(201),
                        "{\"leaseToken\":\"{token}\",\"output\":1}", 400, "invalid_argument"),
                c("step: without leaseToken", "POST", RUN + "/steps/s", "{\"output\":1}", 400, "invalid_argument"),
                c("step: unknown field", "POST", RUN + "/steps/s", "{\"leaseToken\":\"{token}\",\"x\":1}", 400,
                        "unknown_field"),
                c("step: not an object", "POST", RUN + "/steps/s", "[1]", 400, "invalid_json"),
                c("step: stale token", "POST", RUN + "/steps/s", "{\"leaseToken\":\"" + STALE + "\",\"output\":1}",
                        409, "lease_lost"),
                c("steps: limit zero", "GET", RUN + "/steps?limit=0", null, 400, "invalid_argument"),
                c("steps: limit too large", "GET", RUN + "/steps?limit=201", null, 400, "invalid_argument"),
                c("steps: negative after", "GET", RUN + "/steps?after=-1", null, 400, "invalid_argument"),
                c("steps: unknown run", "GET", P + "/runs/" + MISSING_RUN + "/steps", null, 404, "run_not_found"),
                c("steps: foreign scope", "GET", RUN + "/steps", null, 404, "scope_not_found", "other"),
                // children and replay
                c("children: unknown field", "POST", RUN + "/children", child(",\"x\":1"), 400, "unknown_field"),
                c("children: onDisconnect", "POST", RUN + "/children", child(",\"onDisconnect\":\"cancel\""), 400,
                        "unknown_field"),
                c("children: without service", "POST", RUN + "/children",
                        "{\"leaseToken\":\"{token}\",\"step\":\"c\",\"input\":1}", 400, "invalid_argument"),
                c("children: service a number", "POST", RUN + "/children",
                        "{\"leaseToken\":\"{token}\",\"step\":\"c\",\"service\":5,\"input\":1}", 400,
                        "invalid_argument"),
                c("children: bad service name", "POST", RUN + "/children",
                        "{\"leaseToken\":\"{token}\",\"step\":\"c\",\"service\":\"Bad!\",\"input\":1}", 400,
                        "invalid_name"),
                c("children: unknown service", "POST", RUN + "/children",
                        "{\"leaseToken\":\"{token}\",\"step\":\"c\",\"service\":\"nosuch\",\"input\":1}", 404,
                        "service_not_found"),
                c("children: without input", "POST", RUN + "/children",
                        "{\"leaseToken\":\"{token}\",\"step\":\"c\",\"service\":\"work\"}", 400, "invalid_argument"),
                c("children: an idempotency key", "POST", RUN + "/children", child(",\"idempotencyKey\":\"k\""), 400,
                        "invalid_argument"),
                c("children: without leaseToken", "POST", RUN + "/children",
                        "{\"step\":\"c\",\"service\":\"work\",\"input\":1}", 400, "invalid_argument"),
                c("children: invalid step", "POST", RUN + "/children",
                        "{\"leaseToken\":\"{token}\",\"step\":\"\",\"service\":\"work\",\"input\":1}", 400,
                        "invalid_argument"),
                c("children: stale token", "POST", RUN + "/children", "{\"leaseToken\":\"" + STALE
                        + "\",\"step\":\"c\",\"service\":\"work\",\"input\":1}", 409, "lease_lost"),
                c("children: foreign scope", "POST", RUN + "/children", child(""), 404, "scope_not_found", "other"),
                c("replay: unknown field", "POST", RUN + "/replay", "{\"x\":1}", 400, "unknown_field"),
                c("replay: unknown run", "POST", P + "/runs/" + MISSING_RUN + "/replay", null, 404, "run_not_found"),
                c("replay: foreign scope", "POST", RUN + "/replay", null, 404, "scope_not_found", "other"),
                // waitpoints
                c("waitpoints: unknown field", "POST", P + "/waitpoints", "{\"x\":1}", 400, "unknown_field"),
                c("waitpoints: timeoutSeconds zero", "POST", P + "/waitpoints", "{\"timeoutSeconds\":0}", 400,
                        "invalid_argument"),
                c("waitpoints: timeoutSeconds a string", "POST", P + "/waitpoints", "{\"timeoutSeconds\":\"5\"}",
                        400, "invalid_argument"),
                c("waitpoints: tags not a list", "POST", P + "/waitpoints", "{\"tags\":\"t\"}", 400,
                        "invalid_argument"),
                c("waitpoints: unknown run", "POST", P + "/waitpoints", "{\"runId\":\"" + MISSING_RUN + "\"}", 404,
                        "run_not_found"),
                c("waitpoints: not an object", "POST", P + "/waitpoints", "[]", 400, "invalid_json"),
                c("waitpoints: foreign scope", "POST", P + "/waitpoints", null, 404, "scope_not_found", "other"),
                c("waitpoints: without a key", "POST", P + "/waitpoints", null, 401, "unauthorized", "none"),
                c("waitpoints: a wrong key", "GET", P + "/waitpoints", null, 401, "unauthorized", "wrong"),
                c("waitpoints: bad status", "GET", P + "/waitpoints?status=done", null, 400, "invalid_argument"),
                c("waitpoints: limit zero", "GET", P + "/waitpoints?limit=0", null, 400, "invalid_argument"),
                c("waitpoints: bad cursor", "GET", P + "/waitpoints?cursor=garbage", null, 400, "invalid_argument"),
                c("waitpoint: unknown", "GET", P + "/waitpoints/wp_nosuch", null, 404, "waitpoint_not_found"),
                c("waitpoint: malformed id", "GET", P + "/waitpoints/a%20b", null, 404, "waitpoint_not_found"),
                c("waitpoint: foreign scope", "GET", P + "/waitpoints/wp_nosuch", null, 404, "scope_not_found",
                        "other"),
                c("complete: unknown", "POST", P + "/waitpoints/wp_nosuch/complete", "{\"data\":1}", 404,
                        "waitpoint_not_found"),
                c("complete: unknown field", "POST", P + "/waitpoints/wp_nosuch/complete", "{\"x\":1}", 400,
                        "unknown_field"),
                c("complete: no body", "POST", P + "/waitpoints/wp_nosuch/complete", null, 400, "invalid_json"),
                c("complete: without a key", "POST", P + "/waitpoints/wp_nosuch/complete", "{\"data\":1}", 401,
                        "unauthorized", "none"),
                c("callback: unknown secret", "POST", "/v1/callbacks/wpc_" + "A".repeat(43), "{}", 404,
                        "waitpoint_not_found", "none"),
                c("callback: malformed secret", "POST", "/v1/callbacks/nope", "{}", 404, "waitpoint_not_found",
                        "none"),
                c("callback: broken JSON", "POST", "/v1/callbacks/nope", "{", 400, "invalid_json", "none"),
                c("callback: too deep", "POST", "/v1/callbacks/nope", "[".repeat(100) + "]".repeat(100), 400,
                        "invalid_argument", "none"),
                c("callback: GET", "GET", "/v1/callbacks/nope", null, 404, "not_found", "none"),
                c("callback: a longer path", "POST", "/v1/callbacks/nope/more", "{}", 404, "not_found", "none"));
    }
}

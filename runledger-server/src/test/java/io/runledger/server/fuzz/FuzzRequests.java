package io.runledger.server.fuzz;

import io.runledger.server.RunLedgerServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of one fuzz request: path parameters (live ids or odd segments), query, body
 * (plausible for the route, random, deep, broken or empty) and the Authorization header
 * (mostly valid keys, so that requests get past auth and reach the handlers).
 */
final class FuzzRequests {
    private static final Pattern PARAM = Pattern.compile("\\{([A-Za-z]+)}");

    private final Map<String, List<String>> live;
    private final String adminKey;
    private final String acmeKey;
    private final String otherKey;

    FuzzRequests(Map<String, List<String>> live, String adminKey, String acmeKey, String otherKey) {
        this.live = Map.copyOf(live);
        this.adminKey = adminKey;
        this.acmeKey = acmeKey;
        this.otherKey = otherKey;
    }

    String fill(FuzzInputs in, String pattern) {
        Matcher m = PARAM.matcher(pattern);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            List<String> values = live.getOrDefault(name, List.of());
            String value = !values.isEmpty() && in.chance(75) ? in.pick(values) : in.pick(FuzzInputs.ODD_SEGMENTS);
            m.appendReplacement(b, Matcher.quoteReplacement(value));
        }
        m.appendTail(b);
        return b.toString();
    }

    static String query(FuzzInputs in, String path) {
        List<String> parts = new ArrayList<>();
        if (path.endsWith("/wait")) {
            // Never a long wait: the default is 30 s.
            parts.add("timeoutSeconds=" + in.pick(List.of("0", "1", "-1", "x", "301", "1.5", "")));
        }
        int n = in.chance(60) ? 0 : 1 + in.below(3);
        for (int i = 0; i < n; i++) {
            String name = in.pick(List.of("limit", "after", "cursor", "status", "service", "tag", "concurrencyKey",
                    "parentRunId", "eventNames", "access_token", "x"));
            String value = in.pick(List.of("0", "1", "50", "200", "201", "-1", "abc", "%00", "%ff", "running",
                    "accepted", "work", "9".repeat(30), "%25%25", "a+b", "", "x".repeat(400), "%E2%82%AC"));
            parts.add(name + "=" + value);
        }
        return parts.isEmpty() ? "" : "?" + String.join("&", parts);
    }

    byte[] body(FuzzInputs in, RunLedgerServer.Route route, String method) {
        if (method.equals("GET") && in.chance(90) || method.equals("HEAD") || method.equals("DELETE") && in.chance(80)) {
            return null;
        }
        int kind = in.below(100);
        String text;
        if (kind < 35) {
            text = plausible(in, route);
        } else if (kind < 60) {
            text = in.value(12);
        } else if (kind < 68) {
            text = "{\"input\":" + in.deep(40 + in.below(60)) + "}";
        } else if (kind < 80) {
            return in.brokenBytes();
        } else if (kind < 90) {
            return new byte[0];
        } else {
            text = "{" + FuzzInputs.string(in.pick(FuzzInputs.FIELDS)) + ":" + in.value(6) + "}";
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A body close to what the route expects, with live ids and a random twist. */
    private String plausible(FuzzInputs in, RunLedgerServer.Route route) {
        String token = FuzzInputs.string(in.chance(70) ? in.pick(live.get("token")) : in.randomText(8));
        String p = route.path();
        String body;
        String kind = FuzzInputs.string(in.pick(List.of("duration", "token", "run", "batch", "forever")));
        if (p.endsWith("/suspend")) {
            body = "{\"leaseToken\":" + token + ",\"step\":" + FuzzInputs.string(in.pick(List.of("s", "a/b", "a b", "")))
                    + ",\"waitpoints\":[{\"kind\":" + kind + "," + in.pick(List.of("\"seconds\":" + in.value(0),
                            "\"until\":" + in.value(0), "\"waitpointId\":" + FuzzInputs.string(in.pick(live.get("waitpointId"))),
                            "\"runId\":" + FuzzInputs.string(in.pick(live.get("runId"))), "\"batchId\":\"batch_x\""))
                    + "}],\"timeoutSeconds\":" + in.value(0) + ",\"onTimeout\":"
                    + FuzzInputs.string(in.pick(List.of("resume", "fail", "x"))) + "}";
        } else if (p.endsWith("/children")) {
            body = "{\"leaseToken\":" + token + ",\"step\":\"c" + in.below(3) + "\",\"service\":"
                    + FuzzInputs.string(in.pick(live.get("service"))) + ",\"input\":" + in.value(6)
                    + (in.chance(30) ? ",\"retry\":{\"factor\":" + in.value(0) + "}" : "") + "}";
        } else if (p.contains("/steps/")) {
            body = "{\"leaseToken\":" + token + ",\"output\":" + in.value(8) + "}";
        } else if (p.endsWith("/replay")) {
            body = "{\"input\":" + in.value(6) + ",\"metadata\":" + in.value(3) + "}";
        } else if (p.endsWith("/waitpoints")) {
            body = "{\"timeoutSeconds\":" + in.value(0) + ",\"idempotencyKey\":\"w" + in.below(4) + "\",\"tags\":"
                    + in.value(2) + (in.chance(30) ? ",\"runId\":" + FuzzInputs.string(in.pick(live.get("runId"))) : "")
                    + "}";
        } else if (p.startsWith("/v1/callbacks/")) {
            body = in.value(8);
        } else if (p.contains("/waitpoints/") && p.endsWith("/complete")) {
            body = "{\"data\":" + in.value(8) + "}";
        } else if (p.endsWith("/cancel")) {
            body = "{\"reason\":" + in.value(1) + ",\"cascade\":" + in.value(0) + "}";
        } else if (p.endsWith("/lease")) {
            body = "{\"workerId\":\"fz\",\"services\":[\"" + in.pick(live.get("service")) + "\"],\"max\":" + in.below(3)
                    + ",\"waitSeconds\":" + in.pick(List.of("0", "1", "-1", "61", "\"5\"")) + "}";
        } else if (p.endsWith("/events")) {
            body = "{\"leaseToken\":" + token + ",\"events\":[{\"type\":" + FuzzInputs.string(in.pick(List.of("log",
                    "progress", "custom.a", "custom.x\ny", "run.succeeded", "step.started"))) + ",\"data\":"
                    + in.value(6) + "}]}";
        } else if (p.endsWith("/complete")) {
            body = "{\"leaseToken\":" + token + ",\"output\":" + in.value(6) + "}";
        } else if (p.endsWith("/fail")) {
            body = "{\"leaseToken\":" + token + ",\"error\":{\"code\":\"e\",\"message\":" + in.value(2)
                    + "},\"retryable\":" + in.pick(List.of("true", "false", "1"))
                    + (in.chance(40) ? ",\"retryAfterSeconds\":" + in.value(0) : "") + "}";
        } else if (p.endsWith("/heartbeat") || p.endsWith("/ack")) {
            body = "{\"leaseToken\":" + token + "}";
        } else if (p.endsWith("/signals")) {
            body = "{\"type\":" + FuzzInputs.string(in.pick(List.of("pause", "A", "x".repeat(70)))) + ",\"data\":"
                    + in.value(6) + "}";
        } else if (p.endsWith("/batches")) {
            body = "{\"items\":[{\"input\":" + in.value(4) + "},{\"input\":" + in.value(4) + "}]}";
        } else if (p.contains("/webhooks/")) {
            body = "{\"url\":" + FuzzInputs.string(in.pick(List.of("http://127.0.0.1:9/h", "nope", "http://10.0.0.1/",
                    "file:///etc/passwd"))) + ",\"events\":[\"run.succeeded\"]}";
        } else if (p.contains("/services/{service}") && !p.contains("/runs")) {
            body = "{\"maxAttempts\":" + in.value(0) + ",\"leaseTtlSeconds\":30,\"inputSchema\":"
                    + in.pick(List.of("{\"type\":\"object\"}", "{\"type\":\"nope\"}", "{\"$ref\":\"http://x/\"}",
                            "1", "null"))
                    + (in.chance(40) ? ",\"retry\":{\"initialDelaySeconds\":" + in.value(0) + ",\"jitter\":"
                            + in.value(0) + "}" : "") + "}";
        } else {
            body = "{\"input\":" + in.value(8) + (in.chance(30) ? ",\"idempotencyKey\":\"k" + in.below(4) + "\"" : "")
                    + (in.chance(20) ? ",\"concurrencyKey\":\"c\",\"onConflict\":" + FuzzInputs.string(
                            in.pick(List.of("enqueue", "reject", "interrupt", "x"))) : "") + "}";
        }
        if (in.chance(15)) {
            body = body.substring(0, body.length() - 1) + "," + FuzzInputs.string(in.pick(FuzzInputs.FIELDS)) + ":"
                    + in.value(4) + "}";
        }
        return body;
    }

    String authorization(FuzzInputs in) {
        int k = in.below(100);
        if (k < 55) {
            return "Bearer " + adminKey;
        } else if (k < 75) {
            return (in.chance(20) ? "bearer " : "Bearer ") + acmeKey;
        } else if (k < 82) {
            return "Bearer " + otherKey;
        } else if (k < 88) {
            return null;
        }
        return in.pick(List.of("Bearer", "Bearer ", "Basic YTpi", "Bearer rlk_nope", "Bearer " + "k".repeat(5_000),
                "Token " + acmeKey, "Bearer " + acmeKey + "x", "Bearer \u00e9"));
    }
}

package io.runledger.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.ApiKeys;
import io.runledger.core.RunLedger;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.RunLedgerServer;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.LogCapture;
import io.runledger.server.testing.RawHttp;
import io.runledger.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Random requests over every registered route: random and odd path parameters, methods,
 * bodies (plausible, wrong-typed, deep, huge numbers, unknown fields, broken UTF-8, empty)
 * and headers, over real HTTP (java.net.http, plus raw sockets for what it cannot send).
 * Invariant 11 for all of them: no 5xx, every error a problem+json with a code, no ERROR
 * logged, and the server healthy afterwards.
 *
 * <p>Seed, request count and time budget: {@code -Drunledger.fuzz.seed=},
 * {@code -Drunledger.fuzz.requests=} (default 20,000), {@code -Drunledger.fuzz.seconds=}
 * (default 120).
 */
class FuzzHttpTest {
    private static final String SCOPE = "acme";
    private static final String SERVICE = "work";
    private static final String P = "/v1/scopes/" + SCOPE;
    private static final long SEED = Long.getLong("runledger.fuzz.seed", 20261125L);
    private static final int REQUESTS = Integer.getInteger("runledger.fuzz.requests", 20_000);
    private static final Duration BUDGET = Duration.ofSeconds(Long.getLong("runledger.fuzz.seconds", 120));
    private static final int THREADS = 12;
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD");

    private static RunLedger ledger;
    private static RunLedgerServer server;
    private static Http api;

    /**
     * Its own server, whose idle connections are not closed during the run: the fuzz looks
     * for wrong answers, not for the keep-alive race of a pooled connection that the server
     * closes just as the client reuses it.
     */
    @BeforeAll
    static void start() {
        TestDatabase.truncate();
        ledger = TestDatabase.ledgerBuilder().backgroundLoops(true).sweepInterval(Duration.ofMillis(200))
                .webhookAllowCidrs(List.of("127.0.0.1/32")).webhookRetry(Duration.ofMillis(100), Duration.ofMillis(400))
                .queueInterval(Duration.ofMillis(200)).dispatchInterval(Duration.ofMillis(100)).build();
        server = RunLedgerServer.builder(ledger).port(0).adminKeyHash(ApiKeys.hash(TestServer.ADMIN_KEY))
                .keepAlive(Duration.ofMillis(500)).stopTimeout(Duration.ofSeconds(5))
                .requestHeadTimeout(BUDGET.plusMinutes(5)).connectionIdleTimeout(BUDGET.plusMinutes(5)).start();
        api = new Http(server.url(), TestServer.ADMIN_KEY);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (ledger != null) {
            ledger.close();
        }
    }

    private final Set<String> failures = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sent = new AtomicInteger();
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private FuzzRequests requests;

    @Test
    void randomRequestsNeverGetA5xxAndEveryErrorIsAProblem() throws Exception {
        prepare();
        List<RunLedgerServer.Route> routes = server.routes();
        assertThat(routes).hasSizeGreaterThan(20);
        long deadline = System.nanoTime() + BUDGET.toNanos();
        try (LogCapture log = LogCapture.start()) {
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            AtomicInteger next = new AtomicInteger();
            for (int t = 0; t < THREADS; t++) {
                pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < REQUESTS && System.nanoTime() < deadline) {
                        // One Random per request, derived from the seed: the same request whatever the interleaving.
                        one(new FuzzInputs(new Random(SEED * 31 + i)), routes, i);
                    }
                    return null;
                });
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(BUDGET.toSeconds() + 60, TimeUnit.SECONDS)).isTrue();
            System.out.printf("fuzz: seed %d, %d requests, statuses %s%n", SEED, sent.get(), statuses);
            assertThat(failures).as("seed %d", SEED).isEmpty();
            assertThat(log.errors()).as("ERROR lines logged during the fuzz (seed %d)", SEED).isEmpty();
        }
        assertThat(sent.get()).as("requests made within %s (seed %d)", BUDGET, SEED).isGreaterThanOrEqualTo(REQUESTS);
        stillHealthy();
    }

    /** A scope with keys, runs in several states, a signal and a webhook, whose ids the fuzz reuses. */
    private void prepare() {
        assertThat(api.put(P, null).status()).isEqualTo(201);
        assertThat(api.put(P + "/services/" + SERVICE, "{\"maxAttempts\":3,\"leaseTtlSeconds\":30}").status())
                .isEqualTo(200);
        String acmeKey = api.post(P + "/keys", null).json().get("key").asText();
        api.put("/v1/scopes/other", null);
        String otherKey = api.post("/v1/scopes/other/keys", null).json().get("key").asText();
        List<String> runIds = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            runIds.add(triggerRun());
        }
        for (int i = 0; i < 3; i++) {
            JsonNode lease = leaseOne("fuzz-prep");
            tokens.add(lease.get("leaseToken").asText());
        }
        Http.Reply done = api.post(P + "/runs/" + runIds.get(0) + "/complete",
                "{\"leaseToken\":\"" + tokens.get(0) + "\",\"output\":1}");
        if (done.status() != 200) {
            // the lease order is not the trigger order; any settled run will do
            tokens.forEach(t -> runIds.forEach(r -> api.post(P + "/runs/" + r + "/complete",
                    "{\"leaseToken\":\"" + t + "\",\"output\":1}")));
        }
        String messageId = api.post(P + "/runs/" + runIds.get(5) + "/signals", "{\"type\":\"t\",\"data\":{}}")
                .json().path("messageId").asText("msg_x");
        api.put(P + "/webhooks/hook1", "{\"url\":\"http://127.0.0.1:9/hook\",\"events\":[\"run.succeeded\"]}");
        JsonNode token = api.post(P + "/waitpoints", "{}").json();
        String secret = token.path("callbackUrl").asText("/v1/callbacks/wpc_x").replaceAll(".*/", "");
        // Live values the fuzz mixes into paths and bodies so that requests reach the handlers.
        Map<String, List<String>> live = new HashMap<>();
        live.put("runId", runIds);
        live.put("token", tokens);
        live.put("messageId", List.of(messageId, "msg_nosuch"));
        live.put("webhookId", List.of("hook1", "nosuch"));
        live.put("batchId", List.of("batch_nosuch"));
        live.put("waitpointId", List.of(token.path("waitpointId").asText("wp_x"), "wp_nosuch"));
        live.put("secret", List.of(secret, "wpc_" + "A".repeat(43)));
        live.put("step", List.of("s", "a%2Fb", "a:b.c-d"));
        live.put("scope", List.of(SCOPE, SCOPE, SCOPE, "other"));
        live.put("service", List.of(SERVICE, SERVICE, "nosuch"));
        requests = new FuzzRequests(live, TestServer.ADMIN_KEY, acmeKey, otherKey);
    }

    private void one(FuzzInputs in, List<RunLedgerServer.Route> routes, int i) {
        RunLedgerServer.Route route = in.pick(routes);
        String method = in.chance(85) ? route.method() : in.pick(METHODS);
        String path = in.chance(3) ? "/" + in.pick(FuzzInputs.ODD_SEGMENTS) + "/" + in.pick(FuzzInputs.ODD_SEGMENTS)
                : requests.fill(in, route.path());
        path += FuzzRequests.query(in, path);
        byte[] body = requests.body(in, route, method);
        // An Agent Protocol wait or join has no time limit, as a live stream has no end: for
        // both, the status and headers are what is checked.
        boolean stream = path.contains("/stream") || path.contains("runs:stream")
                || path.contains("/ap/") && path.matches(".*/(join|wait)(\\?.*)?");
        String label = i + " " + method + " " + route.path() + " as " + path;
        try {
            if (in.chance(8) && !stream) {
                raw(in, method, path, body, label);
            } else {
                viaClient(in, method, path, body, stream, label);
            }
        } catch (IOException | RuntimeException e) {
            failures.add(label + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sent.incrementAndGet();
    }

    private void viaClient(FuzzInputs in, String method, String path, byte[] body, boolean stream, String label)
            throws IOException, InterruptedException {
        URI uri;
        try {
            uri = URI.create(server.url() + path);
        } catch (IllegalArgumentException e) {
            if (!stream) {
                raw(in, method, path, body, label); // a path java.net.URI refuses still goes over a socket
            }
            return;
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        String auth = requests.authorization(in);
        if (auth != null && auth.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            b.header("Authorization", auth);
        }
        if (body != null && in.chance(85)) {
            b.header("Content-Type", in.pick(List.of("application/json", "application/json", "text/plain",
                    "application/json; charset=latin1", "application/x-www-form-urlencoded", "*/*", "x")));
        }
        if (in.chance(15)) {
            b.header("Last-Event-ID", in.pick(List.of("-1", "abc", "99999999999999999999", "1e3", " 5 ", "0", "3",
                    "")));
        }
        if (in.chance(15)) {
            b.header("Accept", in.pick(List.of("application/x-ndjson", "text/event-stream", "*/*", "text/html",
                    "application/json;q=0", "x/y, application/x-ndjson")));
        }
        if (in.chance(10)) {
            b.header("Idempotency-Key", in.pick(List.of("k1", "", "k".repeat(300), "a b", "x\u00e9".substring(0, 1))));
        }
        HttpResponse<InputStream> response;
        try {
            response = Http.client().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IllegalArgumentException e) {
            return; // a header java.net.http refuses to send
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        byte[] content;
        try (InputStream s = response.body()) {
            // A live stream never ends by itself: its status and headers are what is checked.
            content = type.startsWith("text/event-stream") || stream && response.statusCode() == 200 ? new byte[0]
                    : s.readAllBytes();
        }
        check(method, response.statusCode(), type, new String(content, StandardCharsets.UTF_8), label);
        if (stream && !type.startsWith("text/event-stream") && response.statusCode() < 300
                && response.statusCode() != 204 && !path.matches(".*/(join|wait)(\\?.*)?")) {
            failures.add(label + ": a " + response.statusCode() + " stream answer of type " + type);
        }
    }

    private void raw(FuzzInputs in, String method, String path, byte[] body, String label) throws IOException {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: x\r\n");
        String auth = requests.authorization(in);
        if (auth != null) {
            head.append("Authorization: ").append(auth).append("\r\n");
        }
        byte[] payload = body == null ? new byte[0] : body;
        int framing = in.below(5);
        boolean halfClose = true;
        switch (framing) {
            case 0 -> head.append("Content-Length: ").append(payload.length + 1 + in.below(50)).append("\r\n");
            case 1 -> head.append("Content-Length: ").append(Math.max(0, payload.length - 1)).append("\r\n");
            case 2 -> head.append("Transfer-Encoding: chunked\r\n");
            case 3 -> head.append("Content-Length: ").append(in.pick(List.of("-1", "abc", "99999999999999999999",
                    "1, 2"))).append("\r\n");
            default -> head.append("Content-Length: ").append(payload.length).append("\r\n");
        }
        head.append("Content-Type: application/json\r\nConnection: close\r\n\r\n");
        byte[] bytes;
        if (framing == 2) {
            String chunks = in.pick(List.of(Integer.toHexString(payload.length + 3) + "\r\n",
                    "zz\r\n", Integer.toHexString(Math.max(1, payload.length / 2)) + "\r\n"));
            bytes = concat(head.toString().getBytes(StandardCharsets.UTF_8), chunks.getBytes(StandardCharsets.UTF_8),
                    payload, (in.chance(50) ? "\r\n0\r\n\r\n" : "").getBytes(StandardCharsets.UTF_8));
        } else {
            bytes = concat(head.toString().getBytes(StandardCharsets.UTF_8), payload);
        }
        try (Socket socket = RawHttp.connect(server.url())) {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            if (halfClose) {
                socket.shutdownOutput();
            }
            RawHttp.Answer a = RawHttp.read(socket.getInputStream());
            check(method, a.status(), a.contentType() == null ? "" : a.contentType(), a.body(), label + " (raw)");
        } catch (IOException e) {
            // Jetty may close without an answer when the framing is broken beyond repair;
            // that is no 5xx, and no request reached a handler.
            if (!String.valueOf(e.getMessage()).contains("closed the connection")) {
                throw e;
            }
        }
    }

    private void check(String method, int status, String type, String body, String label) {
        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
        if (status >= 500) {
            failures.add(label + " -> " + status + " " + abbreviate(body));
            return;
        }
        if (status >= 400) {
            if (!type.startsWith("application/problem+json")) {
                failures.add(label + " -> " + status + " of type '" + type + "' " + abbreviate(body));
            } else if (!method.equals("HEAD")) {
                try {
                    JsonNode json = Http.JSON.readTree(body);
                    if (!json.path("code").isTextual() || json.path("code").asText().isEmpty()
                            || json.path("status").asInt() != status) {
                        failures.add(label + " -> " + status + " a problem without code/status: " + abbreviate(body));
                    }
                } catch (IOException e) {
                    failures.add(label + " -> " + status + " a problem that is not JSON: " + abbreviate(body));
                }
            }
        }
    }

    /** After the fuzz: ready, and a normal trigger, lease and complete still work. */
    private void stillHealthy() {
        assertThat(api.get("/health/ready").status()).isEqualTo(200);
        assertThat(api.put(P + "/services/after-fuzz", "{\"maxAttempts\":1,\"leaseTtlSeconds\":30}").status())
                .isEqualTo(200);
        Http.Reply receipt = api.post(P + "/services/after-fuzz/runs", "{\"input\":{\"ok\":true}}");
        assertThat(receipt.status()).as(receipt.toString()).isEqualTo(202);
        String runId = receipt.json().get("runId").asText();
        Http.Reply lease = api.post(P + "/workers/lease",
                "{\"workerId\":\"after\",\"services\":[\"after-fuzz\"],\"max\":1,\"waitSeconds\":0}");
        assertThat(lease.json().get("leases")).as(lease.toString()).hasSize(1);
        String token = lease.json().get("leases").get(0).get("leaseToken").asText();
        Http.Reply done = api.post(P + "/runs/" + runId + "/complete", "{\"leaseToken\":\"" + token
                + "\",\"output\":{\"done\":true}}");
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        assertThat(run(runId).get("status").asText()).isEqualTo("succeeded");
    }

    private static String triggerRun() {
        Http.Reply r = api.post(P + "/services/" + SERVICE + "/runs", "{\"input\":{\"n\":1}}");
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r.json().get("runId").asText();
    }

    private static JsonNode leaseOne(String workerId) {
        Http.Reply r = api.post(P + "/workers/lease", "{\"workerId\":\"" + workerId + "\",\"services\":[\""
                + SERVICE + "\"],\"max\":1,\"waitSeconds\":0}");
        assertThat(r.json().get("leases")).as(r.toString()).hasSize(1);
        return r.json().get("leases").get(0);
    }

    private static JsonNode run(String runId) {
        Http.Reply r = api.get(P + "/runs/" + runId);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}

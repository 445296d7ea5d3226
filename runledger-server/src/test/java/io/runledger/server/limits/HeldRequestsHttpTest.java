package io.runledger.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runledger.core.testing.TestDatabase;
import io.runledger.server.http.HeldRequests.Kind;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.Sse;
import io.runledger.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One key cannot hold more than its share of streams, waits and lease polls, nor a scope
 * more than its own: past a bound the answer is 429 with Retry-After, other scopes are not
 * affected, and slots come back when the requests end, also when the client just leaves.
 */
class HeldRequestsHttpTest {
    private static final int PER_KEY = 2;
    private static final int PER_SCOPE = 3;

    private static TestServer server;
    private static Http admin;
    private Http acme1;
    private Http acme2;
    private Http globex;
    private String acmeRun;
    private String globexRun;

    @BeforeAll
    static void start() {
        server = TestServer.start(b -> b, b -> b.maxStreams(PER_KEY, PER_SCOPE).maxWaits(PER_KEY, PER_SCOPE)
                .maxLeasePolls(PER_KEY, PER_SCOPE));
        admin = server.admin();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void scopes() {
        TestDatabase.truncate();
        for (String scope : List.of("acme", "globex")) {
            assertThat(admin.put("/v1/scopes/" + scope, null).status()).isEqualTo(201);
            assertThat(admin.put("/v1/scopes/" + scope + "/services/work", "{}").status()).isEqualTo(200);
        }
        acme1 = admin.withKey(newKey("acme"));
        acme2 = admin.withKey(newKey("acme"));
        globex = admin.withKey(newKey("globex"));
        acmeRun = acme1.post("/v1/scopes/acme/services/work/runs", "{\"input\":1}").json().get("runId").asText();
        globexRun = globex.post("/v1/scopes/globex/services/work/runs", "{\"input\":1}").json().get("runId").asText();
    }

    private static String newKey(String scope) {
        Http.Reply r = admin.post("/v1/scopes/" + scope + "/keys", null);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("key").asText();
    }

    private static int held(Kind kind, String scope) {
        return server.server.held().heldInScope(kind, scope);
    }

    private static void assertTooMany(int status, String retryAfter, String code) {
        assertThat(status).isEqualTo(429);
        assertThat(retryAfter).isNotNull();
        assertThat(Long.parseLong(retryAfter)).isPositive();
        assertThat(code).isEqualTo("too_many_requests");
    }

    @Test
    void streamsAreBoundedPerKeyAndPerScope() {
        String acmeStream = "/v1/scopes/acme/runs/" + acmeRun + "/stream";
        Function<Http, Sse.Open> open = http -> Sse.open(http.request(acmeStream).GET().build());
        List<Sse.Open> mine = new ArrayList<>();
        for (int i = 0; i < PER_KEY; i++) {
            mine.add(open.apply(acme1));
            assertThat(mine.getLast().response.statusCode()).isEqualTo(200);
        }
        Http.Reply refused = acme1.get(acmeStream); // a problem document, not a stream
        assertTooMany(refused.status(), refused.header("Retry-After"), refused.code());
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(acme1.post("/v1/scopes/acme/services/work/runs:stream", "{\"input\":2}").status())
                .as("trigger-and-stream is bounded too, and refused before it registers a run").isEqualTo(429);
        assertThat(TestDatabase.count("select count(*) from runs where scope_id = 'acme'")).isEqualTo(1);

        Sse.Open other = open.apply(acme2); // the scope's third
        assertThat(other.response.statusCode()).isEqualTo(200);
        Http.Reply scopeFull = acme2.get(acmeStream);
        assertTooMany(scopeFull.status(), scopeFull.header("Retry-After"), scopeFull.code());
        assertThat(scopeFull.json().get("detail").asText()).contains("scope 'acme'");

        Sse.Open elsewhere = Sse.open(globex.request("/v1/scopes/globex/runs/" + globexRun + "/stream").GET().build());
        assertThat(elsewhere.response.statusCode()).as("another scope is not affected").isEqualTo(200);

        // Clients that just leave free their slots (noticed at the next keep-alive).
        mine.forEach(Sse.Open::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> held(Kind.STREAM, "acme") == 1);
        Sse.Open again = open.apply(acme1);
        assertThat(again.response.statusCode()).isEqualTo(200);
        List.of(other, elsewhere, again).forEach(Sse.Open::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> held(Kind.STREAM, "acme") == 0
                && held(Kind.STREAM, "globex") == 0);
    }

    @Test
    void runWaitsAreBoundedPerKeyAndPerScope() throws Exception {
        String wait = "/v1/scopes/acme/runs/" + acmeRun + "/wait?timeoutSeconds=60";
        List<CompletableFuture<Http.Reply>> waits = new ArrayList<>();
        for (int i = 0; i < PER_KEY; i++) {
            waits.add(CompletableFuture.supplyAsync(() -> acme1.get(wait)));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> held(Kind.WAIT, "acme") == PER_KEY);
        Http.Reply refused = acme1.get(wait);
        assertTooMany(refused.status(), refused.header("Retry-After"), refused.code());
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(acme1.get(wait.replace("timeoutSeconds=60", "timeoutSeconds=0")).status()).as("a zero wait is not held").isEqualTo(200);

        waits.add(CompletableFuture.supplyAsync(() -> acme2.get(wait)));
        await().atMost(Duration.ofSeconds(5)).until(() -> held(Kind.WAIT, "acme") == PER_SCOPE);
        Http.Reply scopeFull = acme2.get(wait);
        assertTooMany(scopeFull.status(), scopeFull.header("Retry-After"), scopeFull.code());
        // The admin key counts towards the scope too.
        assertThat(admin.get(wait).status()).isEqualTo(429);

        Http.Reply elsewhere = globex.get("/v1/scopes/globex/runs/" + globexRun + "/wait?timeoutSeconds=1");
        assertThat(elsewhere.status()).as("another scope is not affected").isEqualTo(200);

        // The run settles: every wait answers, and the slots are free again.
        assertThat(acme1.post("/v1/scopes/acme/runs/" + acmeRun + "/cancel", "{}").status()).isEqualTo(200);
        for (CompletableFuture<Http.Reply> w : waits) {
            assertThat(w.get().status()).isEqualTo(200);
            assertThat(w.get().json().get("status").asText()).isEqualTo("cancelled");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> held(Kind.WAIT, "acme") == 0);
        assertThat(acme1.get(wait).status()).isEqualTo(200);
    }

    @Test
    void leasePollsAreBoundedPerKeyAndPerScope() throws Exception {
        String idle = "{\"workerId\":\"w\",\"services\":[\"idle\"],\"waitSeconds\":60}";
        for (String scope : List.of("acme", "globex")) {
            assertThat(admin.put("/v1/scopes/" + scope + "/services/idle", "{}").status()).isEqualTo(200);
        }
        String lease = "/v1/scopes/acme/workers/lease";
        List<CompletableFuture<Http.Reply>> polls = new ArrayList<>();
        for (int i = 0; i < PER_KEY; i++) {
            polls.add(CompletableFuture.supplyAsync(() -> acme1.post(lease, idle)));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> held(Kind.LEASE_POLL, "acme") == PER_KEY);
        Http.Reply refused = acme1.post(lease, idle);
        assertTooMany(refused.status(), refused.header("Retry-After"), refused.code());
        Http.Reply noWait = acme1.post(lease, idle.replace("60", "0"));
        assertThat(noWait.status()).as("waitSeconds 0 is not a held poll").isEqualTo(200);

        polls.add(CompletableFuture.supplyAsync(() -> acme2.post(lease, idle)));
        await().atMost(Duration.ofSeconds(5)).until(() -> held(Kind.LEASE_POLL, "acme") == PER_SCOPE);
        Http.Reply scopeFull = acme2.post(lease, idle);
        assertTooMany(scopeFull.status(), scopeFull.header("Retry-After"), scopeFull.code());

        Http.Reply elsewhere = globex.post("/v1/scopes/globex/workers/lease", idle.replace("60", "1"));
        assertThat(elsewhere.status()).as("another scope is not affected").isEqualTo(200);

        // A run for the waiting service: one poll takes it and frees its slot.
        assertThat(acme1.post("/v1/scopes/acme/services/idle/runs", "{\"input\":1}").status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(5)).until(() -> polls.stream().anyMatch(CompletableFuture::isDone));
        await().atMost(Duration.ofSeconds(5)).until(() -> held(Kind.LEASE_POLL, "acme") == PER_SCOPE - 1);
        // Two more runs: the other polls take them, and every slot is free again.
        for (int i = 0; i < 2; i++) {
            assertThat(acme1.post("/v1/scopes/acme/services/idle/runs", "{\"input\":1}").status()).isEqualTo(202);
        }
        for (CompletableFuture<Http.Reply> p : polls) {
            assertThat(p.get().status()).isEqualTo(200);
            assertThat(p.get().json().get("leases")).hasSize(1);
        }
        assertThat(held(Kind.LEASE_POLL, "acme")).isZero();
    }
}

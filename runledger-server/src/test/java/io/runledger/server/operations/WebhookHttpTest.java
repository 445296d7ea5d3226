package io.runledger.server.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.runledger.api.ApiKeys;
import io.runledger.core.RunLedger;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.RunLedgerServer;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import io.runledger.server.testing.TestServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhooks over the HTTP API, delivered to a real receiver in the test. */
class WebhookHttpTest extends ServerTestBase {
    private HttpServer receiver;
    private final List<Map<String, String>> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private String url;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean fail = failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            if (!fail) {
                received.add(Map.of("id", exchange.getRequestHeaders().getFirst("webhook-id"),
                        "timestamp", exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                        "signature", exchange.getRequestHeaders().getFirst("webhook-signature"),
                        "body", body));
            }
            exchange.sendResponseHeaders(fail ? 500 : 200, -1);
            exchange.close();
        });
        receiver.start();
        url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    /** Standard Webhooks verification, written here from the specification. */
    static boolean verifies(String secret, Map<String, String> r) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(6)), "HmacSHA256"));
        byte[] sig = mac.doFinal((r.get("id") + "." + r.get("timestamp") + "." + r.get("body"))
                .getBytes(StandardCharsets.UTF_8));
        return List.of(r.get("signature").split(" ")).contains("v1," + Base64.getEncoder().encodeToString(sig));
    }

    private String putHook(String id, String events) {
        Http.Reply r = api.put(P + "/webhooks/" + id, "{\"url\":\"" + url + "\",\"events\":" + events + "}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("secret").asText();
    }

    private void settle(String runId, boolean succeed) {
        JsonNode lease = leaseOne("w");
        assertThat(lease.get("runId").asText()).isEqualTo(runId);
        String token = lease.get("leaseToken").asText();
        Http.Reply r = succeed
                ? api.post(P + "/runs/" + runId + "/complete", "{\"leaseToken\":\"" + token + "\",\"output\":{\"ok\":1}}")
                : api.post(P + "/runs/" + runId + "/fail", "{\"leaseToken\":\"" + token
                        + "\",\"error\":{\"code\":\"x\",\"message\":\"y\"},\"retryable\":false}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    @Test
    void everySettledRunProducesExactlyOneVerifiableDelivery() throws Exception {
        String secret = putHook("settled", "[\"run.succeeded\",\"run.failed\",\"run.cancelled\"]");
        assertThat(api.get(P + "/webhooks/settled").json().has("secret")).as("secret shown once").isFalse();
        int runs = 12;
        for (int i = 0; i < runs; i++) {
            String runId = triggerRun();
            if (i % 3 == 2) {
                assertThat(api.post(P + "/runs/" + runId + "/cancel", "{}").status()).isEqualTo(200);
            } else {
                settle(runId, i % 3 == 0);
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= runs);
        Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> received.size() == runs);
        for (Map<String, String> r : received) {
            assertThat(verifies(secret, r)).as(r.toString()).isTrue();
        }
        java.util.Set<String> runIds = new java.util.HashSet<>();
        for (Map<String, String> r : received) {
            runIds.add(Http.JSON.readTree(r.get("body")).at("/data/runId").asText());
        }
        assertThat(runIds).hasSize(runs);
        assertThat(received.stream().map(r -> r.get("id")).distinct()).hasSize(runs);
        // recorded as delivered once each answer is back, which may be just after it was counted
        Http.Reply deliveries = Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> api.get(P + "/webhooks/settled/deliveries?status=delivered&limit=100"),
                        d -> d.json().get("items").size() == runs);
        assertThat(deliveries.json().get("items").get(0).get("attemptLog").get(0).get("statusCode").asInt())
                .isEqualTo(200);
    }

    @Test
    void aReceiverFailingThreeTimesGetsTheDeliveryOnTheFourthTry() {
        putHook("flaky", "[\"run.accepted\"]");
        failuresLeft.set(3);
        String runId = triggerRun();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
        // The receiver has answered; the server records the delivery once that answer is back.
        JsonNode delivery = Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> api.get(P + "/webhooks/flaky/deliveries").json().get("items").get(0),
                        d -> !d.get("status").asText().equals("pending"));
        assertThat(delivery.get("runId").asText()).isEqualTo(runId);
        assertThat(delivery.get("status").asText()).isEqualTo("delivered");
        assertThat(delivery.get("attempts").asInt()).isEqualTo(4);
        assertThat(delivery.get("attemptLog")).extracting(a -> a.get("statusCode").asInt())
                .containsExactly(500, 500, 500, 200);
    }

    @Test
    void pendingDeliveriesSurviveAServerRestart() {
        // Stop the class's server: a server whose engine does not dispatch takes its place,
        // so the deliveries stay pending in the outbox.
        server.close();
        try (RunLedger quiet = TestDatabase.ledgerBuilder().webhookAllowCidrs(List.of("127.0.0.1/32")).build();
             RunLedgerServer first = RunLedgerServer.builder(quiet).port(0)
                     .adminKeyHash(ApiKeys.hash(TestServer.ADMIN_KEY)).start()) {
            Http viaFirst = new Http(first.url(), TestServer.ADMIN_KEY);
            assertThat(viaFirst.put(P + "/webhooks/later", "{\"url\":\"" + url + "\",\"events\":[\"run.*\"]}")
                    .status()).isEqualTo(201);
            for (int i = 0; i < 5; i++) {
                assertThat(viaFirst.post(P + "/services/" + SERVICE + "/runs", "{\"input\":{}}").status())
                        .isEqualTo(202);
            }
        }
        assertThat(TestDatabase.count("select count(*) from webhook_deliveries where status = 'pending'"))
                .isEqualTo(5);
        // A new server (and engine) on the same database dispatches them: none is lost.
        server = TestServer.start();
        api = server.admin();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 5);
        // The receiver counts a request before it answers; the delivery is recorded once the answer is back.
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                TestDatabase.count("select count(*) from webhook_deliveries where status = 'delivered'") == 5);
        assertThat(received).hasSize(5);
    }

    @Test
    void aSlowTargetHoldsUpNoOtherDeliveriesAndItsAttemptEndsAtTheDeadline() throws Exception {
        // A server whose attempts have a 6 s deadline takes the class's server's place, and
        // retries wait 30 s, so the slow target's first attempt is the only one in the test.
        server.close();
        try (SlowReceiver slow = new SlowReceiver();
             RunLedger engine = TestDatabase.ledgerBuilder().webhookAllowCidrs(List.of("127.0.0.1/32"))
                     .webhookTimeout(Duration.ofSeconds(6)).webhookRetry(Duration.ofSeconds(30), Duration.ofSeconds(30))
                     .dispatchInterval(Duration.ofMillis(100)).backgroundLoops(true).build();
             RunLedgerServer slowServer = RunLedgerServer.builder(engine).port(0)
                     .adminKeyHash(ApiKeys.hash(TestServer.ADMIN_KEY)).start()) {
            Http http = new Http(slowServer.url(), TestServer.ADMIN_KEY);
            assertThat(http.put(P + "/webhooks/slow", "{\"url\":\"" + slow.url() + "\",\"events\":[\"run.accepted\"]}")
                    .status()).isEqualTo(201);
            assertThat(http.put(P + "/webhooks/fast", "{\"url\":\"" + url + "\",\"events\":[\"run.accepted\"]}")
                    .status()).isEqualTo(201);
            assertThat(http.post(P + "/services/" + SERVICE + "/runs", "{\"input\":{}}").status()).isEqualTo(202);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> slow.started.get() == 1);

            // While the slow target trickles its answer, other targets get theirs at once.
            for (int i = 0; i < 6; i++) {
                assertThat(http.post(P + "/services/" + SERVICE + "/runs", "{\"input\":{}}").status()).isEqualTo(202);
            }
            Awaitility.await().atMost(Duration.ofSeconds(3)).until(() -> received.size() == 7);
            assertThat(slow.cutOff.get()).as("the first slow attempt is still in progress").isZero();
            // ...and the slow target never holds more than its 4 slots.
            Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> slow.open.get() == 4);
            assertThat(slow.maxOpen.get()).isEqualTo(4);

            // The first slow attempt is abandoned at its deadline, its connection closed, and it
            // is recorded as a failed attempt to be retried.
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> slow.cutOff.get() >= 1);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> http.get(P
                    + "/webhooks/slow/deliveries?limit=100").json().get("items").findValues("attemptLog").stream()
                    .filter(log -> !log.isEmpty()).count() >= 1);
            JsonNode first = StreamSupport.stream(http.get(P + "/webhooks/slow/deliveries?limit=100").json()
                    .get("items").spliterator(), false).filter(d -> !d.get("attemptLog").isEmpty()).findFirst().orElseThrow();
            assertThat(first.get("status").asText()).isEqualTo("pending");
            assertThat(first.get("lastError").asText()).isEqualTo("timeout after 6 s");
            JsonNode attempt = first.get("attemptLog").get(0);
            assertThat(attempt.get("error").asText()).isEqualTo("timeout after 6 s");
            assertThat(attempt.get("durationMs").asInt()).isBetween(6_000, 8_000);
        } finally {
            server = TestServer.start();
            api = server.admin();
        }
    }

    @Test
    void aDeliveryReportsTheRunAsItWasWhenItsEventWasWritten() throws Exception {
        putHook("history", "[\"run.accepted\",\"run.started\",\"run.succeeded\"]");
        failuresLeft.set(1_000); // nothing is received until the run has finished
        String runId = triggerRun();
        settle(runId, true);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> TestDatabase.count(
                "select count(*) from webhook_attempts") >= 3);
        failuresLeft.set(0);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 3);
        Map<String, JsonNode> byType = new java.util.HashMap<>();
        for (Map<String, String> r : received) {
            JsonNode body = Http.JSON.readTree(r.get("body"));
            byType.put(body.get("type").asText(), body.at("/data/run"));
        }
        assertThat(byType.get("run.accepted").get("status").asText()).isEqualTo("accepted");
        assertThat(byType.get("run.accepted").get("output").isNull()).isTrue();
        assertThat(byType.get("run.started").get("status").asText()).isEqualTo("running");
        assertThat(byType.get("run.started").get("finishedAt").isNull()).isTrue();
        assertThat(byType.get("run.succeeded").get("status").asText()).isEqualTo("succeeded");
        assertThat(byType.get("run.succeeded").get("output").get("ok").asInt()).isEqualTo(1);
        assertThat(byType.get("run.succeeded").get("finishedAt").isNull()).isFalse();
    }

    @Test
    void webhookCrudAndRefusals() {
        putHook("crud", "[\"run.*\"]");
        assertThat(api.put(P + "/webhooks/crud", "{\"url\":\"" + url + "\",\"events\":[\"run.failed\"]}").status())
                .isEqualTo(200);
        assertThat(api.get(P + "/webhooks").json().get("items")).hasSize(1);
        assertThat(api.get(P + "/webhooks/crud").json().get("events").get(0).asText()).isEqualTo("run.failed");
        assertThat(api.put(P + "/webhooks/bad", "{\"url\":\"http://10.0.0.1/x\",\"events\":[\"run.*\"]}").code())
                .isEqualTo("invalid_argument");
        // special-purpose ranges, and IPv6 forms that embed an IPv4 address, whatever it is
        for (String target : List.of("http://100.64.0.1/x", "http://198.18.0.1/x", "http://192.0.0.170/x",
                "http://[::ffff:7f00:1]/x", "http://[::ffff:8.8.8.8]/x", "http://[64:ff9b::a9fe:a9fe]/latest",
                "http://[2002:a9fe:a9fe::1]/x", "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/x", "http://[::8.8.8.8]/x",
                "http://[fd00::1]/x", "http://0.0.0.0:9/x")) {
            Http.Reply r = api.put(P + "/webhooks/bad", "{\"url\":\"" + target + "\",\"events\":[\"run.*\"]}");
            assertThat(r.status()).as(target).isEqualTo(400);
            assertThat(r.code()).as(target).isEqualTo("invalid_argument");
            assertThat(r.json().get("detail").asText()).as(target).contains("refused");
        }
        assertThat(api.put(P + "/webhooks/bad", "{\"url\":\"" + url + "\",\"events\":[\"run.*\"],\"x\":1}").code())
                .isEqualTo("unknown_field");
        assertThat(api.put(P + "/webhooks/Bad", "{\"url\":\"" + url + "\",\"events\":[\"run.*\"]}").code())
                .isEqualTo("invalid_name");
        assertThat(api.get(P + "/webhooks/nope").code()).isEqualTo("webhook_not_found");
        assertThat(api.send("DELETE", P + "/webhooks/crud", null, Map.of()).status()).isEqualTo(204);
        assertThat(api.send("DELETE", P + "/webhooks/crud", null, Map.of()).status()).isEqualTo(404);
        assertThat(TestDatabase.count("select count(*) from webhooks")).isZero();
    }

    @Test
    void aDeadDeliveryIsRedeliveredWithItsWebhookIdOnlyByAKeyOfItsScope() throws Exception {
        String secret = putHook("down", "[\"run.accepted\"]");
        failuresLeft.set(1_000);
        String runId = triggerRun();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> api.get(P
                + "/webhooks/down/deliveries?status=dead").json().get("items").size() == 1);
        JsonNode dead = api.get(P + "/webhooks/down/deliveries").json().get("items").get(0);
        String deliveryId = dead.get("deliveryId").asText();
        String redeliver = P + "/webhooks/down/deliveries/" + deliveryId + "/redeliver";

        // A key of another scope: the scope is not found, and in its own scope (which has a
        // webhook of the same name) the delivery is not found.
        assertThat(api.put("/v1/scopes/other", null).status()).isEqualTo(201);
        Http other = api.withKey(api.post("/v1/scopes/other/keys", null).json().get("key").asText());
        assertThat(other.post(redeliver, null).code()).isEqualTo("scope_not_found");
        assertThat(api.put("/v1/scopes/other/webhooks/down", "{\"url\":\"" + url + "\",\"events\":[\"run.*\"]}")
                .status()).isEqualTo(201);
        Http.Reply elsewhere = other.post("/v1/scopes/other/webhooks/down/deliveries/" + deliveryId + "/redeliver",
                null);
        assertThat(elsewhere.status()).isEqualTo(404);
        assertThat(elsewhere.code()).isEqualTo("delivery_not_found");
        assertThat(api.post(P + "/webhooks/nope/deliveries/" + deliveryId + "/redeliver", null).code())
                .isEqualTo("webhook_not_found");
        assertThat(api.post(redeliver, "{\"now\":true}").code()).isEqualTo("unknown_field");
        assertThat(TestDatabase.count("select count(*) from webhook_deliveries where status = 'dead'")).isEqualTo(1);

        // The receiver still fails: the redelivered delivery stays pending through its next
        // attempts, and a second redelivery meanwhile is refused.
        Http mine = api.withKey(api.post(P + "/keys", null).json().get("key").asText());
        Http.Reply redelivered = mine.post(redeliver, null);
        assertThat(redelivered.status()).as(redelivered.toString()).isEqualTo(202);
        assertThat(redelivered.json().get("deliveryId").asText()).isEqualTo(deliveryId);
        assertThat(redelivered.json().get("status").asText()).isEqualTo("pending");
        Http.Reply again = mine.post(redeliver, "{}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("delivery_pending");
        assertThat(again.contentType()).startsWith("application/problem+json");
        assertThat(again.json().get("deliveryStatus").asText()).isEqualTo("pending");
        failuresLeft.set(0);

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !received.isEmpty());
        Map<String, String> got = received.get(0);
        assertThat(got.get("id")).isEqualTo(deliveryId);
        assertThat(verifies(secret, got)).isTrue();
        assertThat(Http.JSON.readTree(got.get("body")).at("/data/runId").asText()).isEqualTo(runId);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> api.get(P
                + "/webhooks/down/deliveries?status=delivered").json().get("items").size() == 1);
        JsonNode stats = api.get(P + "/webhooks/down").json().get("stats");
        assertThat(stats.get("delivered").asInt()).isEqualTo(1);
        assertThat(stats.get("failedAttempts").asInt()).isGreaterThanOrEqualTo(10);
        assertThat(stats.get("lastFailureStatusCode").asInt()).isEqualTo(500);
    }
}

package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.Lease;
import io.runledger.api.RunError;
import io.runledger.api.WebhookDelivery;
import io.runledger.api.WebhookInfo;
import io.runledger.api.WebhookSpec;
import io.runledger.core.internal.store.Json;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The durable webhook outbox, delivered to a real HTTP receiver. */
class WebhookTest extends LedgerTestBase {
    private HttpServer receiver;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private String url;

    record Received(Map<String, String> headers, String body) {
    }

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 503 : 204;
            if (status == 204) {
                received.add(new Received(Map.of(
                        "webhook-id", exchange.getRequestHeaders().getFirst("webhook-id"),
                        "webhook-timestamp", exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                        "webhook-signature", exchange.getRequestHeaders().getFirst("webhook-signature"),
                        "host", exchange.getRequestHeaders().getFirst("Host")), body));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        ledger.close();
        ledger = engine();
    }

    private RunLedger engine() {
        return TestDatabase.ledgerBuilder().backgroundLoops(true).dispatchInterval(Duration.ofMillis(100))
                .webhookAllowCidrs(List.of("127.0.0.1/32"))
                .webhookRetry(Duration.ofMillis(100), Duration.ofMillis(400)).webhookMaxAttempts(5).build();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    /** An implementation of the Standard Webhooks verification written from the spec, for the test. */
    private static boolean verifies(String secret, Received r) throws Exception {
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        String signed = r.headers().get("webhook-id") + "." + r.headers().get("webhook-timestamp") + "." + r.body();
        String expected = Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        for (String sig : r.headers().get("webhook-signature").split(" ")) {
            if (sig.equals("v1," + expected)) {
                return true;
            }
        }
        return false;
    }

    private void settle(int runs) {
        for (int i = 0; i < runs; i++) {
            trigger();
        }
        List<Lease> leases = lease("w", runs);
        for (int i = 0; i < leases.size(); i++) {
            Lease l = leases.get(i);
            if (i % 2 == 0) {
                ledger.workers().complete(SCOPE, l.runId(), l.leaseToken(), json().put("i", i));
            } else {
                ledger.workers().fail(SCOPE, l.runId(), l.leaseToken(), RunError.of("e", "no"), false);
            }
        }
    }

    @Test
    void everySettledRunIsDeliveredOnceWithAVerifiableSignature() throws Exception {
        WebhookInfo hook = ledger.webhooks().put(SCOPE, "settled", new WebhookSpec(url, List.of("run.succeeded", "run.failed"), null, null));
        assertThat(hook.created()).isTrue();
        assertThat(hook.secret()).startsWith("whsec_");
        settle(10);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 10);
        ledger.maintenance().webhooks();
        assertThat(received).hasSize(10);
        for (Received r : received) {
            assertThat(verifies(hook.secret(), r)).as("signature of %s", r.headers()).isTrue();
            JsonNode body = Json.read(r.body());
            assertThat(body.get("type").asText()).isIn("run.succeeded", "run.failed");
            assertThat(body.at("/data/run/status").asText()).isEqualTo(body.get("type").asText().substring(4));
        }
        assertThat(received.stream().map(r -> Json.read(r.body()).at("/data/runId").asText()).distinct()).hasSize(10);
        assertThat(ledger.webhooks().deliveries(SCOPE, "settled", "delivered", 100)).hasSize(10);
        // a wrong secret does not verify
        assertThat(verifies("whsec_" + Base64.getEncoder().encodeToString(new byte[24]), received.get(0))).isFalse();
    }

    @Test
    void aReceiverThatFailsThreeTimesGetsTheDeliveryOnTheFourthTry() {
        ledger.webhooks().put(SCOPE, "flaky", new WebhookSpec(url, List.of("run.*"), null, null));
        failuresLeft.set(3);
        String runId = trigger().runId();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
        WebhookDelivery delivery = ledger.webhooks().deliveries(SCOPE, "flaky", null, 10).get(0);
        assertThat(delivery.runId()).isEqualTo(runId);
        assertThat(delivery.eventType()).isEqualTo("run.accepted");
        assertThat(delivery.status()).isEqualTo("delivered");
        assertThat(delivery.attempts()).isEqualTo(4);
        assertThat(delivery.attemptLog()).hasSize(4);
        assertThat(delivery.attemptLog().get(0).get("statusCode").asInt()).isEqualTo(503);
        assertThat(delivery.attemptLog().get(3).get("statusCode").asInt()).isEqualTo(204);
    }

    @Test
    void aDeliveryThatNeverSucceedsEndsDead() {
        ledger.webhooks().put(SCOPE, "down", new WebhookSpec(url, List.of("run.accepted"), null, null));
        failuresLeft.set(1_000);
        trigger();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                ledger.webhooks().deliveries(SCOPE, "down", "dead", 10).size() == 1);
        assertThat(ledger.webhooks().deliveries(SCOPE, "down", "dead", 10).get(0).attempts()).isEqualTo(5);
    }

    @Test
    void pendingDeliveriesSurviveARestart() {
        ledger.close();
        ledger = TestDatabase.ledgerBuilder().webhookAllowCidrs(List.of("127.0.0.1/32")).backgroundLoops(false).build();
        ledger.webhooks().put(SCOPE, "later", new WebhookSpec(url, List.of("run.accepted"), null, null));
        for (int i = 0; i < 5; i++) {
            trigger();
        }
        assertThat(TestDatabase.count("select count(*) from webhook_deliveries where status = 'pending'")).isEqualTo(5);
        ledger.close(); // nothing was dispatched
        ledger = engine();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 5);
        assertThat(TestDatabase.count("select count(*) from webhook_deliveries where status = 'delivered'")).isEqualTo(5);
    }

    @Test
    void privateTargetsAreRefusedUnlessAllowed() {
        ledger.close();
        ledger = TestDatabase.ledgerBuilder().backgroundLoops(false).build();
        for (String target : List.of("http://127.0.0.1:9/x", "http://10.1.2.3/x", "http://169.254.169.254/latest",
                "http://192.168.1.1/", "http://[::1]/x", "http://localhost/x")) {
            assertThatThrownBy(() -> ledger.webhooks().put(SCOPE, "bad", new WebhookSpec(target, List.of("run.*"), null, null)))
                    .as(target).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("refused");
        }
        assertThatThrownBy(() -> ledger.webhooks().put(SCOPE, "bad", new WebhookSpec("ftp://example.com/", List.of("run.*"), null, null)))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> ledger.webhooks().put(SCOPE, "bad", new WebhookSpec(url, List.of("run.*x"), null, null)))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(TestDatabase.count("select count(*) from webhooks")).isZero();
    }

    @Test
    void aHostNameTargetIsCalledAtItsCheckedAddressUnderItsOwnName() {
        ledger.close();
        // localhost may also resolve to ::1: every address of a name must pass the policy
        ledger = TestDatabase.ledgerBuilder().backgroundLoops(true).dispatchInterval(Duration.ofMillis(100))
                .webhookAllowCidrs(List.of("127.0.0.1/32", "::1/128")).build();
        String byName = url.replace("127.0.0.1", "localhost");
        ledger.webhooks().put(SCOPE, "named", new WebhookSpec(byName, List.of("run.accepted"), null, null));
        trigger();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
        assertThat(received.get(0).headers().get("host")).isEqualTo("localhost:" + receiver.getAddress().getPort());
    }

    @Test
    void aTargetThatTurnsPrivateAfterRegistrationIsRefusedAtDelivery() {
        ledger.webhooks().put(SCOPE, "moved", new WebhookSpec(url, List.of("run.accepted"), null, null));
        ledger.close();
        // the same engine settings minus the allow-list: delivery time re-checks the address
        ledger = TestDatabase.ledgerBuilder().backgroundLoops(true).dispatchInterval(Duration.ofMillis(100))
                .webhookRetry(Duration.ofMillis(50), Duration.ofMillis(50))
                .webhookMaxAttempts(2).build();
        trigger();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                ledger.webhooks().deliveries(SCOPE, "moved", "dead", 10).size() == 1);
        assertThat(received).isEmpty();
        assertThat(ledger.webhooks().deliveries(SCOPE, "moved", "dead", 10).get(0).lastError()).contains("refused");
    }
}

package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.WebhookSpec;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook outbox across restarts and under other engine settings (no allow-list, ::1
 * allowed, an allow-list removed after registration). Endpoints and deliveries through the api
 * are in the contract suite ({@code WebhooksContract}).
 */
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

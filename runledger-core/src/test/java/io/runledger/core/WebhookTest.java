package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.api.InvalidArgumentException;
import io.runledger.api.WebhookSpec;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import io.runledger.core.testing.WebhookReceiver;
import io.runledger.core.testing.WebhookReceiver.Received;
import java.time.Duration;
import java.util.List;
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
    private WebhookReceiver receiver;
    private List<Received> received;
    private String url;


    @BeforeEach
    void startReceiver() throws Exception {
        receiver = WebhookReceiver.start();
        received = receiver.received();
        url = receiver.url();
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
        receiver.close();
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
        assertThat(received.get(0).headers().get("host")).isEqualTo("localhost:" + receiver.port());
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

package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.api.InvalidArgumentException;
import io.runledger.api.Lease;
import io.runledger.api.NotFoundException;
import io.runledger.api.Receipt;
import io.runledger.api.RunError;
import io.runledger.api.WebhookSpec;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import io.runledger.core.testing.WebhookReceiver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run's one-off completion webhook: its terminal event, and nothing else of any run, reaches
 * the URL once through the outbox, whether the run settles after the registration, before it,
 * or while it is being made.
 */
class RunWebhookTest extends LedgerTestBase {
    private WebhookReceiver receiver;

    @BeforeEach
    void startReceiver() {
        receiver = WebhookReceiver.start();
        ledger.close();
        ledger = TestDatabase.ledgerBuilder().backgroundLoops(true).dispatchInterval(Duration.ofMillis(100))
                .webhookAllowCidrs(List.of("127.0.0.1/32"))
                .webhookRetry(Duration.ofMillis(100), Duration.ofMillis(400)).build();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void theTerminalEventOfThatRunIsDeliveredOnceSigned() {
        Receipt run = trigger();
        Receipt other = trigger();
        ledger.runWebhookAdd(SCOPE, run.runId(), receiver.url() + "/done");
        ledger.runWebhookAdd(SCOPE, run.runId(), receiver.url() + "/again"); // the first URL stays
        for (Lease lease : lease("w", 2)) {
            ledger.workers().complete(SCOPE, lease.runId(), lease.leaseToken(), json().put("ok", true));
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() == 1);
        WebhookReceiver.Received got = receiver.received().get(0);
        assertThat(got.body()).contains("run.succeeded").contains(run.runId()).doesNotContain(other.runId());
        assertThat(got.headers()).containsKeys("webhook-id", "webhook-signature", "webhook-timestamp");
        // The receiver may answer before the dispatcher has recorded the delivery as delivered.
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(TestDatabase.count(
                "select count(*) from webhook_deliveries where status = 'delivered'")).isEqualTo(1));
        assertThat(TestDatabase.count("select count(*) from webhook_deliveries")).isEqualTo(1);
        // it is no webhook of the scope
        assertThat(ledger.webhooks().list(SCOPE)).isEmpty();
    }

    @Test
    void aRunThatSettledBeforeOrWhileItsWebhookIsAddedIsDeliveredToo() throws Exception {
        Receipt early = trigger();
        ledger.runs().cancel(SCOPE, early.runId(), "done before the webhook");
        ledger.runWebhookAdd(SCOPE, early.runId(), receiver.url() + "/early");
        for (int i = 0; i < 10; i++) {
            Receipt racing = trigger();
            Lease lease = leaseOne("w");
            CompletableFuture<Void> failing = CompletableFuture.runAsync(() -> ledger.workers().fail(SCOPE,
                    lease.runId(), lease.leaseToken(), new RunError("boom", "it broke", null), false));
            ledger.runWebhookAdd(SCOPE, racing.runId(), receiver.url() + "/race");
            failing.get();
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() == 11);
        assertThat(receiver.received()).filteredOn(r -> r.body().contains("run.failed")).hasSize(10);
        assertThat(receiver.received()).filteredOn(r -> r.body().contains("run.cancelled")).hasSize(1);
        assertThat(TestDatabase.count("select count(*) from webhook_deliveries")).isEqualTo(11);
    }

    @Test
    void aRefusedTargetOrAnUnknownRunWritesNothing() {
        Receipt run = trigger();
        assertThatThrownBy(() -> ledger.runWebhookAdd(SCOPE, "run_nope", receiver.url()))
                .isInstanceOf(NotFoundException.class);
        ledger.close();
        ledger = TestDatabase.ledgerBuilder().backgroundLoops(false).build();
        for (String target : List.of("http://127.0.0.1:9/x", "http://169.254.169.254/latest", "ftp://example.com/",
                "not a url")) {
            assertThatThrownBy(() -> ledger.runWebhookAdd(SCOPE, run.runId(), target)).as(target)
                    .isInstanceOf(InvalidArgumentException.class);
            assertThatThrownBy(() -> ledger.runWebhookCheck(target)).as(target)
                    .isInstanceOf(InvalidArgumentException.class);
        }
        assertThat(TestDatabase.count("select count(*) from run_webhooks")).isZero();
        // the same URL as a scope webhook is refused the same way
        assertThatThrownBy(() -> ledger.webhooks().put(SCOPE, "x", new WebhookSpec("http://127.0.0.1:9/x",
                List.of("run.*"), null, null))).isInstanceOf(InvalidArgumentException.class);
    }
}

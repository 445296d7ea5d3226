package io.runledger.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.Lease;
import io.runledger.api.NotFoundException;
import io.runledger.api.RunError;
import io.runledger.api.WebhookDelivery;
import io.runledger.api.WebhookInfo;
import io.runledger.api.WebhookSpec;
import io.runledger.core.testing.WebhookReceiver;
import io.runledger.core.testing.WebhookReceiver.Received;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Webhooks}: endpoints of a scope and the durable outbox, delivered to a real local
 * HTTP receiver by the engine's dispatcher, driven one pass at a time.
 */
public abstract class WebhooksContract extends ContractBase {
    private WebhookReceiver receiver;
    private List<Received> received;
    private String url;


    @BeforeEach
    protected void startReceiver() throws Exception {
        receiver = WebhookReceiver.start();
        received = receiver.received();
        url = receiver.url();
    }

    @AfterEach
    protected void stopReceiver() {
        receiver.close();
    }

    /** Runs dispatch passes until the condition holds. */
    private void dispatchUntil(Callable<Boolean> condition) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            maintenance().webhooks();
            return condition.call();
        });
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
    void aWebhookIsCreatedReadListedReplacedAndDeleted() {
        WebhookInfo created = ledger.webhooks().put(SCOPE, "audit", WebhookSpec.of(url, List.of("run.*")));
        assertThat(created.created()).isTrue();
        assertThat(created.scope()).isEqualTo(SCOPE);
        assertThat(created.webhookId()).isEqualTo("audit");
        assertThat(created.url()).isEqualTo(url);
        assertThat(created.events()).containsExactly("run.*");
        assertThat(created.enabled()).isTrue();
        assertThat(created.secret()).startsWith("whsec_");
        assertThat(created.createdAt()).isNotNull();

        WebhookInfo read = ledger.webhooks().get(SCOPE, "audit");
        assertThat(read.secret()).isNull();
        assertThat(read.url()).isEqualTo(url);
        // a PUT without a secret keeps it and does not show it
        WebhookInfo updated = ledger.webhooks().put(SCOPE, "audit",
                new WebhookSpec(url, List.of("run.succeeded", "run.failed"), null, false));
        assertThat(updated.created()).isFalse();
        assertThat(updated.secret()).isNull();
        assertThat(updated.enabled()).isFalse();
        assertThat(updated.events()).containsExactly("run.succeeded", "run.failed");
        // a PUT with a secret replaces it and shows it
        String secret = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);
        assertThat(ledger.webhooks().put(SCOPE, "audit", new WebhookSpec(url, List.of("run.*"), secret, null)).secret())
                .isEqualTo(secret);

        ledger.webhooks().put(SCOPE, "second", WebhookSpec.of(url, List.of("run.accepted")));
        assertThat(ledger.webhooks().list(SCOPE)).extracting(WebhookInfo::webhookId).containsExactlyInAnyOrder("audit", "second");
        assertThat(ledger.webhooks().list(SCOPE)).allSatisfy(w -> assertThat(w.secret()).isNull());

        ledger.webhooks().delete(SCOPE, "audit");
        assertThat(ledger.webhooks().list(SCOPE)).extracting(WebhookInfo::webhookId).containsExactly("second");
        assertThatThrownBy(() -> ledger.webhooks().get(SCOPE, "audit"))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).isEqualTo("webhook_not_found"));
        assertThatThrownBy(() -> ledger.webhooks().delete(SCOPE, "audit"))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).isEqualTo("webhook_not_found"));
        assertThatThrownBy(() -> ledger.webhooks().deliveries(SCOPE, "audit", null, 10))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).isEqualTo("webhook_not_found"));
    }

    @Test
    void badWebhooksAreRefusedAndWriteNothing() {
        for (String target : List.of("http://10.1.2.3/x", "http://169.254.169.254/latest", "http://192.168.1.1/",
                "http://127.0.0.2:9/x")) {
            assertThatThrownBy(() -> ledger.webhooks().put(SCOPE, "bad", WebhookSpec.of(target, List.of("run.*"))))
                    .as(target).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("refused");
        }
        assertThatThrownBy(() -> ledger.webhooks().put(SCOPE, "bad", WebhookSpec.of("ftp://example.com/", List.of("run.*"))))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> ledger.webhooks().put(SCOPE, "bad", WebhookSpec.of(url, List.of("run.*x"))))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> ledger.webhooks().put(SCOPE, "bad", WebhookSpec.of(url, List.of())))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> ledger.webhooks().put(SCOPE, "bad", new WebhookSpec(url, List.of("run.*"), "nope", null)))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> ledger.webhooks().put(SCOPE, "Bad Name", WebhookSpec.of(url, List.of("run.*"))))
                .isInstanceOfSatisfying(io.runledger.api.RunLedgerException.class,
                        e -> assertThat(e.code()).isEqualTo("invalid_name"));
        assertThat(count("select count(*) from webhooks")).isZero();
        ledger.webhooks().put(SCOPE, "ok", WebhookSpec.of(url, List.of("run.*")));
        assertThatThrownBy(() -> ledger.webhooks().deliveries(SCOPE, "ok", "sent", 10))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> ledger.webhooks().deliveries(SCOPE, "ok", null, 0))
                .isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void everySettledRunIsDeliveredOnceWithAVerifiableSignature() throws Exception {
        WebhookInfo hook = ledger.webhooks().put(SCOPE, "settled",
                new WebhookSpec(url, List.of("run.succeeded", "run.failed"), null, null));
        settle(10);
        dispatchUntil(() -> ledger.webhooks().deliveries(SCOPE, "settled", "delivered", 100).size() == 10);
        assertThat(received).hasSize(10);
        for (Received r : received) {
            assertThat(verifies(hook.secret(), r)).as("signature of %s", r.headers()).isTrue();
            JsonNode body = json(r.body());
            assertThat(body.get("type").asText()).isIn("run.succeeded", "run.failed");
            assertThat(body.at("/data/run/status").asText()).isEqualTo(body.get("type").asText().substring(4));
        }
        assertThat(received.stream().map(r -> json(r.body()).at("/data/runId").asText()).distinct()).hasSize(10);
        WebhookDelivery delivery = ledger.webhooks().deliveries(SCOPE, "settled", "delivered", 100).get(0);
        assertThat(delivery.webhookId()).isEqualTo("settled");
        assertThat(delivery.eventType()).isIn("run.succeeded", "run.failed");
        assertThat(delivery.seq()).isEqualTo(3);
        assertThat(delivery.attempts()).isEqualTo(1);
        assertThat(delivery.lastStatusCode()).isEqualTo(204);
        assertThat(delivery.deliveredAt()).isNotNull();
        assertThat(ledger.webhooks().deliveries(SCOPE, "settled", "pending", 100)).isEmpty();
        assertThat(ledger.webhooks().deliveries(SCOPE, "settled", null, 3)).hasSize(3);
        // a wrong secret does not verify
        assertThat(verifies("whsec_" + Base64.getEncoder().encodeToString(new byte[24]), received.get(0))).isFalse();
    }

    @Test
    void aReceiverThatFailsThreeTimesGetsTheDeliveryOnTheFourthTry() {
        ledger.webhooks().put(SCOPE, "flaky", WebhookSpec.of(url, List.of("run.*")));
        receiver.failNext(3);
        String runId = trigger().runId();
        dispatchUntil(() -> received.size() == 1);
        dispatchUntil(() -> ledger.webhooks().deliveries(SCOPE, "flaky", "delivered", 10).size() == 1);
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
        ledger.webhooks().put(SCOPE, "down", WebhookSpec.of(url, List.of("run.accepted")));
        receiver.failNext(1_000);
        trigger();
        dispatchUntil(() -> ledger.webhooks().deliveries(SCOPE, "down", "dead", 10).size() == 1);
        WebhookDelivery dead = ledger.webhooks().deliveries(SCOPE, "down", "dead", 10).get(0);
        assertThat(dead.attempts()).isEqualTo(WEBHOOK_MAX_ATTEMPTS);
        assertThat(dead.lastStatusCode()).isEqualTo(503);
        assertThat(received).isEmpty();
    }

    @Test
    void aDisabledWebhookReceivesNothing() {
        ledger.webhooks().put(SCOPE, "off", new WebhookSpec(url, List.of("run.*"), null, false));
        ledger.webhooks().put(SCOPE, "on", WebhookSpec.of(url, List.of("run.accepted")));
        trigger();
        dispatchUntil(() -> received.size() == 1);
        assertThat(ledger.webhooks().deliveries(SCOPE, "off", null, 10)).isEmpty();
    }
}

package io.runledger.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.ConflictException;
import io.runledger.api.Ledger;
import io.runledger.api.NotFoundException;
import io.runledger.api.RunLedgerException;
import io.runledger.api.Timestamps;
import io.runledger.api.WebhookDelivery;
import io.runledger.api.WebhookInfo;
import io.runledger.api.WebhookSpec;
import io.runledger.api.WebhookStats;
import io.runledger.core.testing.WebhookReceiver;
import io.runledger.core.testing.WebhookReceiver.Received;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redelivery of a webhook delivery and the endpoint stats, against a real local receiver:
 * a dead delivery sent again keeps its webhook-id and payload and gets a fresh series of
 * attempts; pending ones, other webhooks' and other scopes' are refused; racing calls make
 * one pending delivery.
 */
public abstract class WebhookRedeliveryContract extends ContractBase {
    private WebhookReceiver receiver;
    private List<Received> received;

    @BeforeEach
    protected void startReceiver() {
        receiver = WebhookReceiver.start();
        received = receiver.received();
    }

    @AfterEach
    protected void stopReceiver() {
        receiver.close();
    }

    private void dispatchUntil(Callable<Boolean> condition) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            maintenance().webhooks();
            return condition.call();
        });
    }

    /** A webhook of run.accepted whose one delivery the receiver failed until it was dead. */
    private WebhookDelivery deadDelivery(String webhookId) {
        ledger.webhooks().put(SCOPE, webhookId, WebhookSpec.of(receiver.url(), List.of("run.accepted")));
        receiver.failNext(1_000);
        trigger();
        dispatchUntil(() -> ledger.webhooks().deliveries(SCOPE, webhookId, "dead", 10).size() == 1);
        return ledger.webhooks().deliveries(SCOPE, webhookId, null, 10).getFirst();
    }

    private WebhookDelivery only(String webhookId) {
        List<WebhookDelivery> all = ledger.webhooks().deliveries(SCOPE, webhookId, null, 10);
        assertThat(all).hasSize(1);
        return all.getFirst();
    }

    @Test
    void aDeadDeliveryRedeliveredReachesTheReceiverWithTheSameWebhookIdAndPayload() {
        WebhookDelivery dead = deadDelivery("down");
        assertThat(dead.attempts()).isEqualTo(WEBHOOK_MAX_ATTEMPTS);
        assertThat(received).isEmpty();

        receiver.failNext(0);
        WebhookDelivery pending = ledger.webhooks().redeliver(SCOPE, "down", dead.deliveryId());
        assertThat(pending.deliveryId()).isEqualTo(dead.deliveryId());
        assertThat(pending.status()).isEqualTo("pending");
        assertThat(pending.attempts()).isEqualTo(WEBHOOK_MAX_ATTEMPTS);
        assertThat(pending.nextAttemptAt()).isNotNull();
        assertThat(pending.attemptLog()).hasSize(WEBHOOK_MAX_ATTEMPTS);

        dispatchUntil(() -> "delivered".equals(only("down").status()));
        assertThat(received).hasSize(1);
        assertThat(received.getFirst().headers().get("webhook-id")).isEqualTo(dead.deliveryId());
        WebhookDelivery delivered = only("down");
        assertThat(delivered.attempts()).isEqualTo(WEBHOOK_MAX_ATTEMPTS + 1);
        assertThat(delivered.deliveredAt()).isNotNull();
        assertThat(delivered.lastStatusCode()).isEqualTo(204);
        assertThat(attemptNumbers(delivered)).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(delivered.attemptLog().get(WEBHOOK_MAX_ATTEMPTS).get("statusCode").asInt()).isEqualTo(204);

        // A delivered one may be sent again too: the very same bytes under the same webhook-id.
        assertThat(ledger.webhooks().redeliver(SCOPE, "down", dead.deliveryId()).status()).isEqualTo("pending");
        dispatchUntil(() -> received.size() == 2);
        assertThat(received.get(1).headers().get("webhook-id")).isEqualTo(dead.deliveryId());
        assertThat(received.get(1).body()).isEqualTo(received.get(0).body());
        JsonNode body = json(received.get(1).body());
        assertThat(body.get("type").asText()).isEqualTo("run.accepted");
        assertThat(body.at("/data/runId").asText()).isEqualTo(dead.runId());
    }

    @Test
    void aRedeliveryGetsAFreshSeriesOfAttemptsAndCanEndDeadAgain() {
        WebhookDelivery dead = deadDelivery("down");
        ledger.webhooks().redeliver(SCOPE, "down", dead.deliveryId());
        dispatchUntil(() -> "dead".equals(only("down").status()));
        WebhookDelivery again = only("down");
        assertThat(again.attempts()).isEqualTo(2 * WEBHOOK_MAX_ATTEMPTS);
        assertThat(attemptNumbers(again))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 2 * WEBHOOK_MAX_ATTEMPTS).boxed().toList());
        assertThat(again.lastStatusCode()).isEqualTo(503);
        assertThat(received).isEmpty();
    }

    @Test
    void aPendingDeliveryIsRefusedAndLeftAsItIs() {
        ledger.webhooks().put(SCOPE, "later", WebhookSpec.of(receiver.url(), List.of("run.accepted")));
        trigger();
        WebhookDelivery pending = only("later");
        assertThat(pending.status()).isEqualTo("pending");
        assertThatThrownBy(() -> ledger.webhooks().redeliver(SCOPE, "later", pending.deliveryId()))
                .isInstanceOfSatisfying(ConflictException.class, e -> {
                    assertThat(e.code()).isEqualTo("delivery_pending");
                    assertThat(e.details()).containsEntry("deliveryStatus", "pending");
                });
        assertThat(only("later")).usingRecursiveComparison().isEqualTo(pending);
    }

    @Test
    void unknownWebhooksAndDeliveriesAndThoseOfOtherWebhooksOrScopesAreNotFound() {
        WebhookDelivery dead = deadDelivery("down");
        ledger.webhooks().put(SCOPE, "beside", WebhookSpec.of(receiver.url(), List.of("run.succeeded")));
        notFound("webhook_not_found", () -> ledger.webhooks().redeliver(SCOPE, "nope", dead.deliveryId()));
        notFound("delivery_not_found", () -> ledger.webhooks().redeliver(SCOPE, "down", "msg_nope"));
        // (a NUL is refused before any route over HTTP: 400 invalid_argument)
        for (String malformed : List.of("x".repeat(300), "msg_1 or 1=1", "%2e%2e", "msg_ä")) {
            notFound("delivery_not_found", () -> ledger.webhooks().redeliver(SCOPE, "down", malformed));
        }
        notFound("delivery_not_found", () -> ledger.webhooks().redeliver(SCOPE, "beside", dead.deliveryId()));

        // Another scope with a webhook of the same name: its key reaches its own scope only,
        // and there the delivery does not exist.
        Ledger other = target.open("other");
        other.webhooks().put("other", "down", WebhookSpec.of(receiver.url(), List.of("run.accepted")));
        notFound("delivery_not_found", () -> other.webhooks().redeliver("other", "down", dead.deliveryId()));
        assertThat(only("down").status()).isEqualTo("dead");
        assertThat(other.webhooks().deliveries("other", "down", null, 10)).isEmpty();
        assertThatThrownBy(() -> ledger.webhooks().redeliver(SCOPE, "Bad Name", dead.deliveryId()))
                .isInstanceOfSatisfying(RunLedgerException.class, e -> assertThat(e.code()).isEqualTo("invalid_name"));
    }

    @Test
    void twoRedeliveriesRacingMakeOnePendingDelivery() throws Exception {
        WebhookDelivery dead = deadDelivery("down");
        List<String> answers = race(4, n -> {
            try {
                return ledger.webhooks().redeliver(SCOPE, "down", dead.deliveryId()).status();
            } catch (ConflictException e) {
                return e.code();
            }
        });
        assertThat(answers).containsExactlyInAnyOrder("pending", "delivery_pending", "delivery_pending",
                "delivery_pending");
        assertThat(count("select count(*) from webhook_deliveries where status = 'pending'")).isEqualTo(1);
        assertThat(count("select count(*) from webhook_deliveries where attempts_before = " + WEBHOOK_MAX_ATTEMPTS))
                .isEqualTo(1);
    }

    @Test
    void eachWebhookShowsItsSuccessRateAndLastFailure() {
        WebhookInfo fresh = ledger.webhooks().put(SCOPE, "fresh", WebhookSpec.of(receiver.url(), List.of("run.x")));
        assertThat(fresh.stats()).isEqualTo(new WebhookStats(24, 0, 0, 0, 0, 0, null, null, null, null));

        ledger.webhooks().put(SCOPE, "flaky", WebhookSpec.of(receiver.url(), List.of("run.accepted")));
        receiver.failNext(3);
        trigger();
        dispatchUntil(() -> "delivered".equals(only("flaky").status()));
        trigger();
        dispatchUntil(() -> ledger.webhooks().deliveries(SCOPE, "flaky", "delivered", 10).size() == 2);

        WebhookStats stats = ledger.webhooks().get(SCOPE, "flaky").stats();
        assertThat(stats.windowHours()).isEqualTo(WebhookStats.WINDOW_HOURS);
        assertThat(stats.delivered()).isEqualTo(2);
        assertThat(stats.dead()).isZero();
        assertThat(stats.pending()).isZero();
        assertThat(stats.attempts()).isEqualTo(5);
        assertThat(stats.failedAttempts()).isEqualTo(3);
        assertThat(stats.successRate()).isEqualTo(0.4);
        assertThat(stats.lastFailureStatusCode()).isEqualTo(503);
        assertThat(stats.lastFailureError()).isEqualTo("HTTP 503");
        WebhookDelivery first = ledger.webhooks().deliveries(SCOPE, "flaky", null, 10).getLast();
        assertThat(stats.lastFailureAt())
                .isEqualTo(Timestamps.parse(first.attemptLog().get(2).get("attemptedAt").asText()));

        List<WebhookInfo> listed = ledger.webhooks().list(SCOPE);
        assertThat(listed).extracting(WebhookInfo::webhookId).containsExactly("flaky", "fresh");
        assertThat(listed.getFirst().stats()).isEqualTo(stats);
        assertThat(listed.getLast().stats().successRate()).isNull();
    }

    private static List<Integer> attemptNumbers(WebhookDelivery delivery) {
        List<Integer> numbers = new ArrayList<>();
        delivery.attemptLog().forEach(a -> numbers.add(a.get("attempt").asInt()));
        return numbers;
    }

    private static void notFound(String code, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(NotFoundException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }
}

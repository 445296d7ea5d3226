package io.runledger.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.Lease;
import io.runledger.api.LeaseRequest;
import io.runledger.api.RunError;
import io.runledger.api.ServiceSpec;
import io.runledger.api.TriggerRequest;
import io.runledger.api.WebhookDelivery;
import io.runledger.api.WebhookInfo;
import io.runledger.api.WebhookKind;
import io.runledger.api.WebhookSpec;
import io.runledger.core.testing.TestDatabase;
import io.runledger.core.testing.WebhookReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Alert webhooks: failed runs are counted per service and window, and each window that saw
 * failures yields exactly one {@code alert.runs_failed}, delivered to a real local receiver.
 */
public abstract class AlertsContract extends ContractBase {
    private static final String OTHER = "other";
    private static final int WINDOW = 3;

    private WebhookReceiver receiver;

    @BeforeEach
    protected void startReceiver() {
        receiver = WebhookReceiver.start();
        ledger.admin().servicePut(SCOPE, OTHER, new ServiceSpec(1, 30, null, null, null, IMMEDIATE));
    }

    @AfterEach
    protected void stopReceiver() {
        receiver.close();
    }

    /** The alerts received so far, as their {@code data}. */
    private List<JsonNode> alerts() {
        List<JsonNode> out = new ArrayList<>();
        for (WebhookReceiver.Received r : List.copyOf(receiver.received())) {
            JsonNode body = json(r.body());
            if ("alert.runs_failed".equals(body.path("type").asText())) {
                out.add(body.path("data"));
            }
        }
        return out;
    }

    private List<String> failRuns(String service, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(ledger.runs().trigger(SCOPE, service, TriggerRequest.of(json().put("i", i))).runId());
        }
        List<Lease> leases = ledger.workers().lease(SCOPE, LeaseRequest.of("w", List.of(service), n, Duration.ZERO));
        assertThat(leases).hasSize(n);
        for (Lease l : leases) {
            ledger.workers().fail(SCOPE, l.runId(), l.leaseToken(), RunError.of("boom", "no"), false);
        }
        return ids;
    }

    /** Waits until the clock is at the start of a window, so a few quick failures share one. */
    private static void awaitWindowStart() {
        Awaitility.await().atMost(Duration.ofSeconds(WINDOW + 2)).pollInterval(Duration.ofMillis(20))
                .until(() -> Instant.now().toEpochMilli() % (WINDOW * 1000L) < 300);
    }

    private void dispatchUntil(java.util.concurrent.Callable<Boolean> condition) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            maintenance().webhooks();
            return condition.call();
        });
    }

    @Test
    void failuresInAWindowBecomeOneAlertPerServiceWithTheCountAndSamples() throws Exception {
        WebhookInfo hook = ledger.webhooks().put(SCOPE, "pager", WebhookSpec.alert(receiver.url(), WINDOW));
        assertThat(hook.kind()).isEqualTo(WebhookKind.ALERT);
        assertThat(hook.windowSeconds()).isEqualTo(WINDOW);
        assertThat(hook.events()).containsExactly("alert.runs_failed");
        ledger.webhooks().put(SCOPE, "audit", WebhookSpec.of(receiver.url(), List.of("run.failed")));

        awaitWindowStart();
        List<String> work = failRuns(SERVICE, 12);
        List<String> other = failRuns(OTHER, 2);
        // a run that succeeds is no failure
        trigger();
        Lease ok = leaseOne("w");
        ledger.workers().complete(SCOPE, ok.runId(), ok.leaseToken(), json());

        dispatchUntil(() -> alerts().stream().mapToInt(a -> a.path("count").asInt()).sum() == 14);
        // the window's failures were turned into deliveries; closing again makes nothing new
        for (int i = 0; i < 3; i++) {
            maintenance().webhooks();
        }
        assertThat(TestDatabase.count("select count(*) from alert_failures")).isZero();

        Map<String, Integer> counts = new HashMap<>();
        Map<String, Set<String>> samples = new HashMap<>();
        Set<String> windows = new HashSet<>();
        for (JsonNode a : alerts()) {
            String service = a.path("service").asText();
            assertThat(windows.add(service + "@" + a.path("windowStart").asText()))
                    .as("one alert per service per window").isTrue();
            assertThat(a.path("scope").asText()).isEqualTo(SCOPE);
            assertThat(a.path("windowSeconds").asInt()).isEqualTo(WINDOW);
            Instant start = Instant.parse(a.path("windowStart").asText());
            assertThat(start.toEpochMilli() % (WINDOW * 1000L)).isZero();
            counts.merge(service, a.path("count").asInt(), Integer::sum);
            assertThat(a.path("sampleRunIds").size()).isBetween(1, 10);
            a.path("sampleRunIds").forEach(id -> samples.computeIfAbsent(service, s -> new HashSet<>()).add(id.asText()));
        }
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of(SERVICE, 12, OTHER, 2));
        assertThat(work).containsAll(samples.get(SERVICE));
        assertThat(samples.get(OTHER)).containsExactlyInAnyOrderElementsOf(other);

        // the event webhook still gets run events; the alert webhook gets none of them
        dispatchUntil(() -> ledger.webhooks().deliveries(SCOPE, "audit", "delivered", 200).size() == 14);
        List<WebhookDelivery> alertDeliveries = ledger.webhooks().deliveries(SCOPE, "pager", null, 200);
        assertThat(alertDeliveries).isNotEmpty().allSatisfy(d -> {
            assertThat(d.eventType()).isEqualTo("alert.runs_failed");
            assertThat(d.runId()).isNull();
        });
    }

    @Test
    void aLaterWindowGetsItsOwnAlertAndRacingClosersMakeOneDelivery() throws Exception {
        ledger.webhooks().put(SCOPE, "pager", WebhookSpec.alert(receiver.url(), WINDOW));
        awaitWindowStart();
        failRuns(SERVICE, 3);
        dispatchUntil(() -> alerts().size() >= 1 && alerts().stream().mapToInt(a -> a.path("count").asInt()).sum() == 3);
        Set<String> firstWindows = new HashSet<>();
        alerts().forEach(a -> firstWindows.add(a.path("windowStart").asText()));

        awaitWindowStart();
        failRuns(SERVICE, 4);
        // several dispatch passes race to close the same window: still one delivery for it
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            race(4, n -> maintenance().webhooks());
            return alerts().stream().mapToInt(a -> a.path("count").asInt()).sum() == 7;
        });
        List<JsonNode> all = alerts();
        Set<String> windows = new HashSet<>();
        for (JsonNode a : all) {
            assertThat(windows.add(a.path("windowStart").asText())).isTrue();
        }
        assertThat(windows).containsAll(firstWindows).hasSizeGreaterThan(firstWindows.size());
        assertThat(TestDatabase.count("select count(*) from webhook_deliveries where webhook_id = 'pager'"))
                .isEqualTo(all.size());
    }

    @Test
    void aDisabledOrDeletedAlertNotesNothingAndAnEventWebhookCanBecomeAnAlert() {
        ledger.webhooks().put(SCOPE, "pager", new WebhookSpec(receiver.url(), null, null, false, WebhookKind.ALERT, WINDOW));
        failRuns(SERVICE, 2);
        assertThat(TestDatabase.count("select count(*) from alert_failures")).isZero();

        ledger.webhooks().put(SCOPE, "pager", WebhookSpec.alert(receiver.url(), 3600));
        failRuns(SERVICE, 2);
        assertThat(TestDatabase.count("select count(*) from alert_failures")).isEqualTo(2);
        ledger.webhooks().put(SCOPE, "pager", WebhookSpec.of(receiver.url(), List.of("run.failed")));
        assertThat(TestDatabase.count("select count(*) from alert_failures")).isZero();
        ledger.webhooks().put(SCOPE, "pager", WebhookSpec.alert(receiver.url(), 3600));
        failRuns(SERVICE, 1);
        ledger.webhooks().delete(SCOPE, "pager");
        assertThat(TestDatabase.count("select count(*) from alert_failures")).isZero();
    }

    @Test
    void alertSettingsAreValidated() {
        String url = receiver.url();
        refused("invalid_argument", () -> ledger.webhooks().put(SCOPE, "a",
                new WebhookSpec(url, List.of("run.*"), null, null, WebhookKind.ALERT, 60)));
        refused("invalid_argument", () -> ledger.webhooks().put(SCOPE, "a", WebhookSpec.alert(url, 0)));
        refused("invalid_argument", () -> ledger.webhooks().put(SCOPE, "a", WebhookSpec.alert(url, 86_401)));
        refused("invalid_argument", () -> ledger.webhooks().put(SCOPE, "a",
                new WebhookSpec(url, List.of("run.*"), null, null, WebhookKind.EVENTS, 60)));
        WebhookInfo defaults = ledger.webhooks().put(SCOPE, "a",
                new WebhookSpec(url, List.of("alert.runs_failed"), null, null, WebhookKind.ALERT, null));
        assertThat(defaults.windowSeconds()).isEqualTo(300);
        assertThat(ledger.webhooks().get(SCOPE, "a").kind()).isEqualTo(WebhookKind.ALERT);
        assertThat(ledger.webhooks().list(SCOPE)).extracting(WebhookInfo::windowSeconds).containsExactly(300);
        WebhookInfo events = ledger.webhooks().put(SCOPE, "b", WebhookSpec.of(url, List.of("run.*")));
        assertThat(events.kind()).isEqualTo(WebhookKind.EVENTS);
        assertThat(events.windowSeconds()).isNull();
    }
}

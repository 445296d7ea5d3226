package io.runledger.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.TestServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Observe's webhooks page in a real headless Chromium against the real server and a real
 * receiver in the test: endpoints with their success rate and last failure, a webhook's
 * deliveries and a delivery's attempts chosen in the URL, and a dead delivery sent again by
 * clicking Redeliver, which reaches the receiver with the same webhook-id.
 */
class ObserveWebhooksBrowserTest extends ObserveBrowserBase {
    /** Few attempts, so a delivery the receiver refuses is dead within a second. */
    private static final int MAX_ATTEMPTS = 3;

    private HttpServer receiver;
    private final AtomicBoolean failing = new AtomicBoolean();
    private final CountDownLatch held = new CountDownLatch(1);
    private final ExecutorService pool = Executors.newCachedThreadPool();
    /** Every request: its webhook-id, the status it was answered with, its body. */
    private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void serverWithFewAttempts() {
        server.close();
        server = TestServer.start(b -> b.webhookMaxAttempts(MAX_ATTEMPTS), s -> s);
        api = server.admin();
    }

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(pool);
        // Holds its requests unanswered until the test ends: their deliveries stay pending.
        receiver.createContext("/hold", exchange -> {
            try {
                held.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean refuse = exchange.getRequestURI().getPath().equals("/orders") && failing.get();
            int status = refuse ? 500 : 200;
            requests.add(Map.of("path", exchange.getRequestURI().getPath(),
                    "id", exchange.getRequestHeaders().getFirst("webhook-id"), "status", String.valueOf(status),
                    "body", body));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        openSignedIn();
    }

    @AfterEach
    void stopReceiver() {
        held.countDown();
        receiver.stop(0);
        pool.shutdownNow();
    }

    private String target(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    @Test
    void aDeadDeliveryIsRedeliveredFromThePageAndReachesTheReceiverWithTheSameWebhookId() {
        hook("orders", target("/orders"), "[\"run.succeeded\",\"run.failed\"]", true);
        hook("audit", target("/audit"), "[\"run.*\"]", true);
        hook("legacy", "http://127.0.0.1:9/legacy", "[\"run.failed\"]", false);

        // The orders receiver answers 500 until the first run's delivery is dead, then 200.
        failing.set(true);
        String first = succeededRun();
        eventually().until(() -> deliveries("orders", "dead").size() == 1);
        failing.set(false);
        succeededRun();
        eventually().until(() -> deliveries("orders", "delivered").size() == 1
                && deliveries("audit", "delivered").size() == 6);
        String deadId = deliveries("orders", "dead").get(0).get("deliveryId").asText();

        waitFor(By.id("nav-webhooks")).click();
        eventually().untilAsserted(() -> {
            assertThat(driver().getCurrentUrl()).endsWith("#/scopes/acme/webhooks");
            assertThat(webhookIds()).containsExactly("audit", "legacy", "orders");
            assertThat(endpoint("orders").findElement(By.cssSelector(".success-rate")).getDomAttribute("data-rate"))
                    .isEqualTo("0.25");
            assertThat(endpoint("orders").findElement(By.cssSelector(".last-failure")).getDomAttribute(
                    "data-status-code")).isEqualTo("500");
            assertThat(endpoint("audit").findElement(By.cssSelector(".success-rate")).getText()).startsWith("100.0 %");
            assertThat(endpoint("audit").findElement(By.cssSelector(".last-failure")).getText()).isEqualTo("none");
            assertThat(endpoint("legacy").getDomAttribute("data-enabled")).isEqualTo("false");
        });
        // The chart's numbers are the endpoints' deliveries of the last 24 h by status.
        eventually().untilAsserted(() -> assertThat(chartData()).isEqualTo(Map.of(
                "labels", List.of("audit", "legacy", "orders"),
                "delivered", List.of(6L, 0L, 1L), "dead", List.of(0L, 0L, 1L), "pending", List.of(0L, 0L, 0L))));

        endpoint("orders").findElement(By.cssSelector("a.webhook-link")).click();
        eventually().untilAsserted(() -> {
            assertThat(driver().getCurrentUrl()).endsWith("#/scopes/acme/webhooks?webhook=orders");
            assertThat(deliveryStatuses()).containsExactlyInAnyOrder("dead", "delivered");
        });
        new Select(waitFor(By.id("deliveries-status"))).selectByValue("dead");
        eventually().untilAsserted(() -> {
            assertThat(driver().getCurrentUrl()).contains("status=dead");
            assertThat(deliveryStatuses()).containsExactly("dead");
        });
        delivery(deadId).findElement(By.cssSelector("a.delivery-link")).click();
        eventually().untilAsserted(() -> {
            assertThat(driver().getCurrentUrl()).contains("webhook=orders", "delivery=" + deadId);
            assertThat(attempts()).containsExactly("1:500", "2:500", "3:500");
            assertThat(text(By.id("delivery-id"))).isEqualTo(deadId);
            assertThat(delivery(deadId).findElement(By.cssSelector("a.run-link")).getText()).startsWith(first);
        });
        // A reload shows the same choice.
        driver().navigate().refresh();
        eventually().untilAsserted(() -> {
            assertThat(attempts()).containsExactly("1:500", "2:500", "3:500");
            assertThat(driver().findElement(By.id("redeliver")).isEnabled()).isTrue();
        });

        driver().findElement(By.id("redeliver")).click();
        eventually().untilAsserted(() -> assertThat(driver().findElement(By.id("redeliver-outcome"))
                .getDomAttribute("data-status")).isEqualTo("pending"));
        eventually().until(() -> requests.stream().anyMatch(r -> r.get("id").equals(deadId)
                && r.get("status").equals("200")));
        List<Map<String, String>> sent = requests.stream().filter(r -> r.get("id").equals(deadId)).toList();
        assertThat(sent).extracting(r -> r.get("status")).containsExactly("500", "500", "500", "200");
        assertThat(sent).extracting(r -> r.get("body")).as("the same payload every time").containsOnly(
                sent.get(0).get("body"));

        // The filter still says dead: show every status, then the delivery is delivered with its attempts.
        new Select(driver().findElement(By.id("deliveries-status"))).selectByValue("");
        eventually().untilAsserted(() -> {
            assertThat(delivery(deadId).getDomAttribute("data-status")).isEqualTo("delivered");
            assertThat(delivery(deadId).findElement(By.cssSelector(".attempts")).getText()).isEqualTo("4");
            assertThat(attempts()).containsExactly("1:500", "2:500", "3:500", "4:200");
            assertThat(driver().findElement(By.cssSelector("#delivery-detail .badge")).getDomAttribute("data-status"))
                    .isEqualTo("delivered");
            assertThat(endpoint("orders").findElement(By.cssSelector(".success-rate")).getDomAttribute("data-rate"))
                    .isEqualTo("0.4");
            assertThat(chartData().get("delivered")).isEqualTo(List.of(6L, 0L, 2L));
        });
        browser.docScreenshot("webhooks");
        assertFitsLaptopAndPhone("webhooks");
    }

    @Test
    void aPendingDeliveryCannotBeRedeliveredAndAnUnknownWebhookIsSaidSo() {
        hook("later", target("/hold"), "[\"run.accepted\"]", true);
        triggerRun();
        JsonNode pending = deliveries("later", null).get(0);
        eventually().until(() -> deliveries("later", null).get(0).get("attempts").asInt() == 1);
        driver().get(server.server.url() + "/#/scopes/acme/webhooks?webhook=later&delivery="
                + pending.get("deliveryId").asText());
        eventually().untilAsserted(() -> {
            assertThat(driver().findElement(By.cssSelector("#delivery-detail .badge")).getDomAttribute("data-status"))
                    .isEqualTo("pending");
            assertThat(driver().findElement(By.id("redeliver")).isEnabled()).as("pending: nothing to redeliver")
                    .isFalse();
        });
        assertThat(api.post(P + "/webhooks/later/deliveries/" + pending.get("deliveryId").asText() + "/redeliver",
                null).code()).isEqualTo("delivery_pending");

        driver().get(server.server.url() + "/#/scopes/acme/webhooks?webhook=gone");
        eventually().untilAsserted(() -> assertThat(text(By.id("deliveries-body")))
                .contains("Webhook gone does not exist in this scope"));
    }

    // --- the server ---

    private static void hook(String id, String url, String events, boolean enabled) {
        Http.Reply r = api.put(P + "/webhooks/" + id, "{\"url\":\"" + url + "\",\"events\":" + events + ",\"enabled\":"
                + enabled + "}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    private static String succeededRun() {
        String runId = triggerRun();
        JsonNode lease = leaseOne("w");
        assertThat(lease.get("runId").asText()).isEqualTo(runId);
        Http.Reply done = api.post(P + "/runs/" + runId + "/complete", "{\"leaseToken\":\""
                + lease.get("leaseToken").asText() + "\",\"output\":{\"ok\":true}}");
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        return runId;
    }

    private static List<JsonNode> deliveries(String webhookId, String status) {
        JsonNode items = api.get(P + "/webhooks/" + webhookId + "/deliveries"
                + (status == null ? "" : "?status=" + status)).json().get("items");
        List<JsonNode> out = new java.util.ArrayList<>();
        items.forEach(out::add);
        return out;
    }

    // --- the page ---

    @SuppressWarnings("unchecked")
    private static List<String> webhookIds() {
        return (List<String>) driver().executeScript(
                "return [...document.querySelectorAll('#webhooks-body tr[data-webhook]')].map(tr => tr.dataset.webhook)");
    }

    private static WebElement endpoint(String webhookId) {
        return driver().findElement(By.cssSelector("#webhooks-body tr[data-webhook='" + webhookId + "']"));
    }

    private static WebElement delivery(String deliveryId) {
        return driver().findElement(By.cssSelector("#deliveries-body tr[data-delivery-id='" + deliveryId + "']"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> deliveryStatuses() {
        return (List<String>) driver().executeScript(
                "return [...document.querySelectorAll('#deliveries-body tr[data-delivery-id]')]"
                        + ".map(tr => tr.dataset.status)");
    }

    /** The chosen delivery's attempts as "number:status code". */
    @SuppressWarnings("unchecked")
    private static List<String> attempts() {
        return (List<String>) driver().executeScript(
                "return [...document.querySelectorAll('#attempts-body tr[data-attempt]')]"
                        + ".map(tr => tr.dataset.attempt + ':' + tr.cells[1].textContent)");
    }

    /** The chart's labels and, per dataset label, its numbers, as Chart.js holds them. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> chartData() {
        return (Map<String, Object>) driver().executeScript(
                "const chart = Chart.getChart(document.querySelector('#webhooks-chart canvas'));"
                        + "const out = {labels: chart.data.labels};"
                        + "for (const ds of chart.data.datasets) out[ds.label] = ds.data;"
                        + "return out;");
    }
}

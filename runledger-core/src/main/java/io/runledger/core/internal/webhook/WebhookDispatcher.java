package io.runledger.core.internal.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.Run;
import io.runledger.api.RunEvent;
import io.runledger.api.Timestamps;
import io.runledger.core.DispatchResult;
import io.runledger.core.internal.engine.Tx;
import io.runledger.core.internal.store.Json;
import io.runledger.core.internal.store.OpsStore;
import io.runledger.core.internal.store.RunStore;
import io.runledger.core.internal.store.StoredRun;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delivers the webhook outbox: claims due deliveries (SKIP LOCKED, safe on several
 * instances), POSTs each signed as Standard Webhooks says, and records the attempt:
 * delivered on a 2xx, else retried with exponential backoff and jitter until the attempts
 * run out, then dead. The target's addresses are checked against the {@link AddressPolicy}
 * right before each request; the JVM's DNS cache (30 s by default) serves the client's own
 * lookup moments later, so a rebinding DNS answer cannot slip a private address past it.
 */
public final class WebhookDispatcher {
    /** Settings of the dispatcher. */
    public record Config(int batchSize, int maxAttempts, Duration retryBase, Duration retryMax,
                         Duration requestTimeout) {
        public Config {
            if (batchSize < 1 || maxAttempts < 1 || retryBase.isNegative() || retryMax.compareTo(retryBase) < 0) {
                throw new IllegalArgumentException("invalid webhook dispatcher config");
            }
        }
    }

    private final Tx tx;
    private final RunStore runs;
    private final OpsStore store;
    private final AddressPolicy policy;
    private final Config config;
    private final HttpClient http;

    public WebhookDispatcher(Tx tx, RunStore runs, OpsStore store, AddressPolicy policy, Config config) {
        this.tx = tx;
        this.runs = runs;
        this.store = store;
        this.policy = policy;
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    }

    public DispatchResult runOnce() {
        DispatchResult total = DispatchResult.NONE;
        while (true) {
            long claimSeconds = config.requestTimeout().toSeconds() + 30;
            List<Map<String, Object>> claimed = tx.run((h, c) -> store.deliveriesClaim(h, config.batchSize(), claimSeconds));
            if (claimed.isEmpty()) {
                break;
            }
            List<Future<String>> outcomes = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (Map<String, Object> d : claimed) {
                    outcomes.add(pool.submit(() -> deliver(d)));
                }
            }
            int delivered = 0;
            int retrying = 0;
            int dead = 0;
            for (Future<String> f : outcomes) {
                String outcome = f.resultNow();
                switch (outcome) {
                    case "delivered" -> delivered++;
                    case "dead" -> dead++;
                    default -> retrying++;
                }
            }
            DispatchResult batch = new DispatchResult(delivered, retrying, dead);
            total = total.plus(batch);
            if (claimed.size() < config.batchSize()) {
                break;
            }
        }
        if (total.total() > 0) {
            tx.listener().webhookDeliveries(total);
        }
        return total;
    }

    private String deliver(Map<String, Object> d) {
        String scope = (String) d.get("scope_id");
        String deliveryId = (String) d.get("delivery_id");
        int attempt = ((Number) d.get("attempts")).intValue();
        String url = (String) d.get("url");
        if (url == null) {
            return "dead"; // the webhook was deleted; its pending deliveries go with it
        }
        long started = System.nanoTime();
        Integer statusCode = null;
        String error = null;
        try {
            String body = payload(scope, (String) d.get("run_id"), ((Number) d.get("seq")).longValue());
            URI target = URI.create(url);
            policy.resolveAllowed(target.getHost());
            long timestamp = System.currentTimeMillis() / 1000;
            HttpRequest request = HttpRequest.newBuilder(target)
                    .timeout(config.requestTimeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "RunLedger-Webhooks/1")
                    .header("webhook-id", deliveryId)
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", WebhookSigner.sign((String) d.get("secret"), deliveryId, timestamp, body))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            statusCode = response.statusCode();
            if (statusCode < 200 || statusCode >= 300) {
                error = "HTTP " + statusCode;
            }
        } catch (AddressPolicy.RefusedAddressException e) {
            error = "refused: " + e.getMessage();
        } catch (UnknownHostException e) {
            error = "cannot resolve " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (Exception e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        int durationMs = (int) ((System.nanoTime() - started) / 1_000_000);
        Integer code = statusCode;
        String failure = error == null ? null : error.length() > 500 ? error.substring(0, 500) : error;
        return tx.run((h, c) -> {
            store.deliveryAttemptInsert(h, scope, deliveryId, attempt, code, failure, durationMs);
            if (failure == null) {
                store.deliveryDelivered(h, scope, deliveryId, code);
                return "delivered";
            }
            return store.deliveryRetry(h, scope, deliveryId, config.maxAttempts(), backoffSeconds(attempt), code, failure)
                    .orElse("dead");
        });
    }

    /** base * 2^(attempt-1), capped, times a jitter in [0.8, 1.2) so retries do not march in step. */
    double backoffSeconds(int attempt) {
        double base = config.retryBase().toMillis() / 1000.0;
        double raw = Math.min(config.retryMax().toMillis() / 1000.0, base * Math.pow(2, Math.max(0, attempt - 1)));
        return raw * ThreadLocalRandom.current().nextDouble(0.8, 1.2);
    }

    /** The Standard Webhooks payload: {@code {type, timestamp, data}}, data = the event and its run. */
    private String payload(String scope, String runId, long seq) {
        return tx.read(h -> {
            RunEvent event = runs.eventsList(h, scope, runId, seq - 1, 1).stream().findFirst()
                    .orElseThrow(() -> new IllegalStateException("event " + runId + "#" + seq + " is missing"));
            Run run = runs.runGet(h, scope, runId).map(StoredRun::run)
                    .orElseThrow(() -> new IllegalStateException("run " + runId + " is missing"));
            ObjectNode root = Json.MAPPER.createObjectNode();
            root.put("type", event.type());
            root.put("timestamp", Timestamps.format(event.createdAt()));
            ObjectNode data = root.putObject("data");
            data.put("scope", scope);
            data.put("runId", runId);
            data.put("service", run.service());
            data.put("seq", event.seq());
            data.put("schemaVersion", event.schemaVersion());
            data.set("event", event.data());
            ObjectNode r = data.putObject("run");
            r.put("status", run.status().wireName());
            r.put("attempt", run.attempt());
            r.set("output", run.output());
            r.set("error", run.error() == null ? null : Json.MAPPER.valueToTree(run.error()));
            r.put("correlationId", run.correlationId());
            r.put("finishedAt", Timestamps.format(run.finishedAt()));
            return Json.write(root);
        });
    }
}

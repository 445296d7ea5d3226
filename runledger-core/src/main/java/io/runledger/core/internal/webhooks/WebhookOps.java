package io.runledger.core.internal.webhooks;

import io.runledger.api.ConflictException;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidNameException;
import io.runledger.api.NotFoundException;
import io.runledger.api.WebhookDelivery;
import io.runledger.api.WebhookInfo;
import io.runledger.api.WebhookKind;
import io.runledger.api.WebhookSpec;
import io.runledger.api.WebhookStats;
import io.runledger.api.Webhooks;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.store.DeliveryRow;
import io.runledger.core.internal.store.ServiceStore;
import io.runledger.core.internal.store.WebhookRow;
import io.runledger.core.internal.store.WebhookStore;
import io.runledger.core.internal.store.WebhookUpsert;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/** Registration of webhook endpoints with their stats, the listing of their deliveries and redelivery. */
public final class WebhookOps implements Webhooks {
    /** What a delivery id can be ({@code msg_} or {@code alr_} and hex); any other is simply not found. */
    private static final Pattern DELIVERY_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern EVENT_FILTER = Pattern.compile("[a-z0-9][a-z0-9._-]*(\\*)?|\\*");
    private static final int MAX_FILTERS = 32;
    private static final int MAX_URL = 2048;
    private static final String ALERT_EVENT = "alert.runs_failed";
    private static final int DEFAULT_ALERT_WINDOW_SECONDS = 300;
    private static final int MAX_ALERT_WINDOW_SECONDS = 86_400;

    private final Tx tx;
    private final ServiceStore services;
    private final WebhookStore store;
    private final AddressPolicy policy;

    public WebhookOps(Tx tx, ServiceStore services, WebhookStore store, AddressPolicy policy) {
        this.tx = tx;
        this.services = services;
        this.store = store;
        this.policy = policy;
    }

    @Override
    public WebhookInfo put(String scope, String webhookId, WebhookSpec spec) {
        InvalidNameException.requireValid("scope", scope);
        InvalidNameException.requireValid("webhook", webhookId);
        if (spec == null) {
            throw new InvalidArgumentException("a webhook spec is required");
        }
        String url = spec.url();
        List<String> events = spec.events();
        String secret = spec.secret();
        Boolean enabled = spec.enabled();
        URI target = requireUrl(url);
        WebhookKind kind = spec.kind() == null ? WebhookKind.EVENTS : spec.kind();
        Integer windowSeconds = spec.windowSeconds();
        if (kind == WebhookKind.ALERT) {
            if (events != null && !events.equals(List.of(ALERT_EVENT))) {
                throw new InvalidArgumentException("an alert webhook receives only " + ALERT_EVENT
                        + "; leave events out or list just that");
            }
            events = List.of(ALERT_EVENT);
            if (windowSeconds == null) {
                windowSeconds = DEFAULT_ALERT_WINDOW_SECONDS;
            }
            if (windowSeconds < 1 || windowSeconds > MAX_ALERT_WINDOW_SECONDS) {
                throw new InvalidArgumentException("windowSeconds must be between 1 and " + MAX_ALERT_WINDOW_SECONDS);
            }
        } else if (windowSeconds != null) {
            throw new InvalidArgumentException("windowSeconds is for alert webhooks (kind: alert) only");
        }
        if (events == null || events.isEmpty() || events.size() > MAX_FILTERS) {
            throw new InvalidArgumentException("events must list 1.." + MAX_FILTERS + " event types or patterns");
        }
        for (String e : events) {
            if (e == null || !EVENT_FILTER.matcher(e).matches()) {
                throw new InvalidArgumentException("event filter '" + e
                        + "' must be an event type (run.succeeded) or a prefix ending in * (run.*)");
            }
        }
        if (secret != null && !WebhookSigner.isValidSecret(secret)) {
            throw new InvalidArgumentException("secret must be whsec_ followed by base64 of 24 to 64 bytes");
        }
        requireAllowedTarget(target);
        List<String> filters = events;
        Integer window = windowSeconds;
        return tx.run((h, changes) -> {
            if (!services.scopeExists(h, scope)) {
                throw NotFoundException.scope(scope);
            }
            String existingSecret = store.webhookGet(h, scope, webhookId).map(WebhookRow::secret).orElse(null);
            String effective = secret != null ? secret : existingSecret != null ? existingSecret : WebhookSigner.newSecret();
            WebhookRow row = store.webhookUpsert(h, new WebhookUpsert(scope, webhookId, target.toString(), filters,
                    effective, enabled == null || enabled, kind.wireName(), window));
            if (kind != WebhookKind.ALERT) {
                store.alertFailuresForget(h, scope, webhookId);
            }
            boolean showSecret = existingSecret == null || secret != null;
            return info(row, showSecret, stats(h, scope, webhookId).get(webhookId));
        });
    }

    @Override
    public WebhookInfo get(String scope, String webhookId) {
        InvalidNameException.requireValid("scope", scope);
        InvalidNameException.requireValid("webhook", webhookId);
        return tx.read(h -> {
            WebhookRow row = store.webhookGet(h, scope, webhookId).orElseThrow(() -> notFound(webhookId));
            return info(row, false, stats(h, scope, webhookId).get(webhookId));
        });
    }

    @Override
    public List<WebhookInfo> list(String scope) {
        InvalidNameException.requireValid("scope", scope);
        return tx.read(h -> {
            Map<String, WebhookStats> stats = stats(h, scope, null);
            return store.webhooksList(h, scope).stream().map(r -> info(r, false, stats.get(r.webhookId()))).toList();
        });
    }

    @Override
    public void delete(String scope, String webhookId) {
        InvalidNameException.requireValid("scope", scope);
        InvalidNameException.requireValid("webhook", webhookId);
        boolean deleted = tx.run((h, changes) -> store.webhookDelete(h, scope, webhookId));
        if (!deleted) {
            throw notFound(webhookId);
        }
    }

    @Override
    public List<WebhookDelivery> deliveries(String scope, String webhookId, String status, int limit) {
        InvalidNameException.requireValid("scope", scope);
        InvalidNameException.requireValid("webhook", webhookId);
        if (status != null && !List.of("pending", "delivered", "dead").contains(status)) {
            throw new InvalidArgumentException("status must be pending, delivered or dead");
        }
        if (limit < 1 || limit > 200) {
            throw new InvalidArgumentException("limit must be between 1 and 200");
        }
        return tx.read(h -> {
            if (store.webhookGet(h, scope, webhookId).isEmpty()) {
                throw notFound(webhookId);
            }
            return store.deliveriesList(h, scope, webhookId, status, limit).stream().map(WebhookOps::delivery).toList();
        });
    }

    @Override
    public WebhookDelivery redeliver(String scope, String webhookId, String deliveryId) {
        InvalidNameException.requireValid("scope", scope);
        InvalidNameException.requireValid("webhook", webhookId);
        if (deliveryId == null || !DELIVERY_ID.matcher(deliveryId).matches()) {
            throw deliveryNotFound(webhookId, deliveryId); // no delivery has such an id
        }
        return tx.run((h, changes) -> {
            if (!store.webhookHold(h, scope, webhookId)) {
                throw notFound(webhookId);
            }
            if (!store.deliveryRedeliver(h, scope, webhookId, deliveryId)) {
                // Nothing matched: no such delivery of this webhook in this scope, or it is
                // pending (waiting for its next attempt, being tried, or just redelivered by
                // another call); the dispatcher sends a pending delivery without being asked.
                DeliveryRow row = store.deliveryGet(h, scope, webhookId, deliveryId)
                        .orElseThrow(() -> deliveryNotFound(webhookId, deliveryId));
                throw new ConflictException("delivery_pending", "delivery '" + deliveryId + "' is " + row.status()
                        + ": it is sent without a redelivery", Map.of("deliveryStatus", row.status()));
            }
            return delivery(store.deliveryGet(h, scope, webhookId, deliveryId).orElseThrow());
        });
    }

    /**
     * Checks a completion webhook's URL as a webhook's is checked (an http(s) URL whose host
     * the address policy allows), without writing anything.
     */
    public void runWebhookCheck(String url) {
        requireAllowedTarget(requireUrl(url));
    }

    /**
     * Sends the run's terminal event to {@code url} once it settles (at once if it has), through
     * the outbox, signed with a secret of its own. Registering again keeps the first URL.
     */
    public void runWebhook(String scope, String runId, String url) {
        InvalidNameException.requireValid("scope", scope);
        URI target = requireUrl(url);
        requireAllowedTarget(target);
        boolean found = tx.run((h, changes) -> store.runWebhookInsert(h, scope, runId, target.toString(),
                WebhookSigner.newSecret()));
        if (!found) {
            throw NotFoundException.run(runId);
        }
    }

    private void requireAllowedTarget(URI target) {
        try {
            policy.resolveAllowed(target.getHost());
        } catch (UnknownHostException e) {
            throw new InvalidArgumentException("cannot resolve the webhook host '" + target.getHost() + "'");
        } catch (AddressPolicy.RefusedAddressException e) {
            throw new InvalidArgumentException("webhook target refused: " + e.getMessage());
        }
    }

    static URI requireUrl(String url) {
        if (url == null || url.isBlank() || url.length() > MAX_URL) {
            throw new InvalidArgumentException("url must be an http(s) URL of at most " + MAX_URL + " characters");
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("url is malformed: " + e.getMessage());
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new InvalidArgumentException("url must be an absolute http(s) URL without user info or fragment");
        }
        return uri;
    }

    private static NotFoundException notFound(String webhookId) {
        return NotFoundException.of("webhook_not_found", "webhook '" + webhookId + "' does not exist");
    }

    private static NotFoundException deliveryNotFound(String webhookId, String deliveryId) {
        return NotFoundException.of("delivery_not_found",
                "webhook '" + webhookId + "' has no delivery '" + deliveryId + "'");
    }

    private static WebhookInfo info(WebhookRow row, boolean withSecret, WebhookStats stats) {
        return new WebhookInfo(row.scope(), row.webhookId(), row.url(), row.events(), row.enabled(),
                withSecret ? row.secret() : null, row.createdAt(), row.updatedAt(), row.inserted(),
                WebhookKind.fromWire(row.kind()), row.windowSeconds(), stats);
    }

    /** The stats of the scope's webhooks, or of one; a webhook without any has zeros. */
    private Map<String, WebhookStats> stats(Handle h, String scope, String webhookId) {
        Map<String, WebhookStats> stats = new HashMap<>();
        store.webhooksStats(h, scope, webhookId, WebhookStats.WINDOW_HOURS).forEach((id, r) -> stats.put(id,
                new WebhookStats(WebhookStats.WINDOW_HOURS, r.delivered(), r.dead(), r.pending(), r.attempts(),
                        r.failedAttempts(),
                        r.attempts() == 0 ? null : (double) (r.attempts() - r.failedAttempts()) / r.attempts(),
                        r.lastFailureAt(), r.lastFailureStatusCode(), r.lastFailureError())));
        return stats;
    }

    private static WebhookDelivery delivery(DeliveryRow row) {
        return new WebhookDelivery(row.deliveryId(), row.webhookId(), row.runId(), row.seq(), row.eventType(),
                row.status(), row.attempts(), row.lastStatusCode(), row.lastError(), row.createdAt(),
                row.nextAttemptAt(), row.deliveredAt(), row.attemptLog());
    }
}

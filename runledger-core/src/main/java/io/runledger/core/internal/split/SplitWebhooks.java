package io.runledger.core.internal.split;

import io.runledger.api.NotFoundException;
import io.runledger.api.WebhookDelivery;
import io.runledger.api.WebhookInfo;
import io.runledger.api.WebhookSpec;
import io.runledger.api.WebhookStats;
import io.runledger.api.Webhooks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Webhook endpoints are control plane: written on the main database and mirrored into the
 * runs database (whose outbox trigger reads them). Deliveries are run data: each store has
 * the deliveries of its runs, listed together newest first.
 */
record SplitWebhooks(Stores stores, ControlPlaneMirror mirror) implements Webhooks {
    @Override
    public WebhookInfo put(String scope, String webhookId, WebhookSpec spec) {
        WebhookInfo put = stores.main().webhooks().put(scope, webhookId, spec);
        mirror.sync();
        return put;
    }

    @Override
    public WebhookInfo get(String scope, String webhookId) {
        WebhookInfo hook = stores.main().webhooks().get(scope, webhookId);
        try {
            return withStats(hook, stores.runs().webhooks().get(scope, webhookId));
        } catch (NotFoundException e) {
            return hook; // not mirrored yet: no delivery there yet either
        }
    }

    @Override
    public List<WebhookInfo> list(String scope) {
        java.util.Map<String, WebhookInfo> mirrored = new java.util.HashMap<>();
        stores.runs().webhooks().list(scope).forEach(w -> mirrored.put(w.webhookId(), w));
        return stores.main().webhooks().list(scope).stream()
                .map(w -> mirrored.containsKey(w.webhookId()) ? withStats(w, mirrored.get(w.webhookId())) : w)
                .toList();
    }

    /** The endpoint as main has it, with the deliveries and attempts of both stores counted. */
    private static WebhookInfo withStats(WebhookInfo hook, WebhookInfo mirror) {
        WebhookStats a = hook.stats();
        WebhookStats b = mirror.stats();
        if (a == null || b == null) {
            return a == null ? new WebhookInfo(hook.scope(), hook.webhookId(), hook.url(), hook.events(),
                    hook.enabled(), hook.secret(), hook.createdAt(), hook.updatedAt(), hook.created(), hook.kind(),
                    hook.windowSeconds(), b) : hook;
        }
        long attempts = a.attempts() + b.attempts();
        long failed = a.failedAttempts() + b.failedAttempts();
        WebhookStats last = b.lastFailureAt() != null
                && (a.lastFailureAt() == null || b.lastFailureAt().isAfter(a.lastFailureAt())) ? b : a;
        WebhookStats both = new WebhookStats(a.windowHours(), a.delivered() + b.delivered(), a.dead() + b.dead(),
                a.pending() + b.pending(), attempts, failed,
                attempts == 0 ? null : (double) (attempts - failed) / attempts, last.lastFailureAt(),
                last.lastFailureStatusCode(), last.lastFailureError());
        return new WebhookInfo(hook.scope(), hook.webhookId(), hook.url(), hook.events(), hook.enabled(),
                hook.secret(), hook.createdAt(), hook.updatedAt(), hook.created(), hook.kind(), hook.windowSeconds(),
                both);
    }

    @Override
    public void delete(String scope, String webhookId) {
        stores.main().webhooks().delete(scope, webhookId);
        mirror.sync();
    }

    /** A delivery id names no store: the runs database's is asked first. */
    @Override
    public WebhookDelivery redeliver(String scope, String webhookId, String deliveryId) {
        return stores.either(s -> s.webhooks().redeliver(scope, webhookId, deliveryId));
    }

    @Override
    public List<WebhookDelivery> deliveries(String scope, String webhookId, String status, int limit) {
        List<WebhookDelivery> all = new ArrayList<>();
        try {
            all.addAll(stores.runs().webhooks().deliveries(scope, webhookId, status, limit));
        } catch (NotFoundException e) {
            // the endpoint is not mirrored yet (created a moment ago by an instance without the
            // runs database): it has no delivery there yet either
        }
        all.addAll(stores.main().webhooks().deliveries(scope, webhookId, status, limit));
        all.sort(Comparator.comparing(WebhookDelivery::createdAt).thenComparing(WebhookDelivery::deliveryId).reversed());
        return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
    }
}

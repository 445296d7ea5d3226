package io.runledger.core.internal.split;

import io.runledger.api.NotFoundException;
import io.runledger.api.WebhookDelivery;
import io.runledger.api.WebhookInfo;
import io.runledger.api.WebhookSpec;
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
        return stores.main().webhooks().get(scope, webhookId);
    }

    @Override
    public List<WebhookInfo> list(String scope) {
        return stores.main().webhooks().list(scope);
    }

    @Override
    public void delete(String scope, String webhookId) {
        stores.main().webhooks().delete(scope, webhookId);
        mirror.sync();
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

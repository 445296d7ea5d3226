package io.runledger.client.internal;

import io.runledger.api.WebhookDelivery;
import io.runledger.api.WebhookInfo;
import io.runledger.api.WebhookSpec;
import io.runledger.api.Webhooks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** {@link Webhooks} over HTTP: {@code .../webhooks[/{webhookId}[/deliveries[/{deliveryId}/redeliver]]]}. */
public final class HttpWebhooks implements Webhooks {
    private final Transport transport;

    public HttpWebhooks(Transport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    private static String webhook(String scope, String webhookId) {
        return Paths.scope(scope) + "/webhooks/" + Transport.enc(webhookId);
    }

    /** Created or replaced: the server says which by its status (201 or 200). */
    @Override
    public WebhookInfo put(String scope, String webhookId, WebhookSpec spec) {
        Transport.Answer answer = transport.put(webhook(scope, webhookId), Wire.webhookBody(spec));
        return Wire.webhook(answer.body(), answer.status() == 201);
    }

    @Override
    public WebhookInfo get(String scope, String webhookId) {
        return Wire.webhook(transport.get(webhook(scope, webhookId), null, null, null).body(), false);
    }

    @Override
    public List<WebhookInfo> list(String scope) {
        return Wire.items(transport.get(Paths.scope(scope) + "/webhooks", null, null, null).body(),
                n -> Wire.webhook(n, false));
    }

    @Override
    public void delete(String scope, String webhookId) {
        transport.delete(webhook(scope, webhookId));
    }

    @Override
    public List<WebhookDelivery> deliveries(String scope, String webhookId, String status, int limit) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("status", status);
        q.put("limit", limit);
        return Wire.items(transport.get(webhook(scope, webhookId) + "/deliveries", q, null, null).body(),
                Wire::delivery);
    }

    @Override
    public WebhookDelivery redeliver(String scope, String webhookId, String deliveryId) {
        return Wire.delivery(transport.post(webhook(scope, webhookId) + "/deliveries/" + Transport.enc(deliveryId)
                + "/redeliver", null, null, null, null).body());
    }
}

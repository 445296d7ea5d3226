package io.runledger.server.webhooks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.api.InvalidNameException;
import io.runledger.api.Timestamps;
import io.runledger.core.RunLedger;
import io.runledger.core.WebhookDelivery;
import io.runledger.core.WebhookInfo;
import io.runledger.server.auth.Authenticator;
import io.runledger.server.http.JsonBodies;
import io.runledger.server.http.Params;
import io.runledger.server.http.Responses;
import io.runledger.server.http.ServerJson;
import io.runledger.server.http.Views;
import java.util.List;
import java.util.Objects;

/** Webhook endpoints of a scope and their delivery log. */
public final class WebhookRoutes {
    public static final String WEBHOOKS = "/v1/scopes/{scope}/webhooks";
    public static final String WEBHOOK = WEBHOOKS + "/{webhookId}";
    public static final String DELIVERIES = WEBHOOK + "/deliveries";

    private final RunLedger ledger;
    private final Authenticator auth;

    /** The body of {@code PUT .../webhooks/{id}}. */
    public record WebhookBody(String url, List<String> events, String secret, Boolean enabled) {
    }

    public WebhookRoutes(RunLedger ledger, Authenticator auth) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    public void register(RoutesConfig routes) {
        routes.get(WEBHOOKS, this::list);
        routes.put(WEBHOOK, this::put);
        routes.get(WEBHOOK, this::get);
        routes.delete(WEBHOOK, this::delete);
        routes.get(DELIVERIES, this::deliveries);
    }

    private static String webhookId(Context ctx) {
        return InvalidNameException.requireValid("webhook", ctx.pathParam("webhookId"));
    }

    private void put(Context ctx) {
        String scope = auth.scope(ctx);
        String id = webhookId(ctx);
        WebhookBody b = JsonBodies.object(ctx, WebhookBody.class);
        WebhookInfo hook = ledger.webhookPut(scope, id, b.url(), b.events(), b.secret(), b.enabled());
        Responses.json(ctx, hook.created() ? 201 : 200, view(hook));
    }

    private void get(Context ctx) {
        String scope = auth.scope(ctx);
        Responses.json(ctx, 200, view(ledger.webhookGet(scope, webhookId(ctx))));
    }

    private void list(Context ctx) {
        String scope = auth.scope(ctx);
        var items = ledger.webhooksList(scope).stream().map(WebhookRoutes::view).toList();
        Responses.json(ctx, 200, ServerJson.MAPPER.createObjectNode().set("items", Views.array(items)));
    }

    private void delete(Context ctx) {
        String scope = auth.scope(ctx);
        ledger.webhookDelete(scope, webhookId(ctx));
        ctx.status(204);
    }

    private void deliveries(Context ctx) {
        String scope = auth.scope(ctx);
        String id = webhookId(ctx);
        int limit = (int) Params.longParam(ctx, "limit", 50, 1, 200);
        var items = ledger.webhooks().deliveries(scope, id, Params.text(ctx, "status"), limit).stream()
                .map(WebhookRoutes::view).toList();
        Responses.json(ctx, 200, ServerJson.MAPPER.createObjectNode().set("items", Views.array(items)));
    }

    static ObjectNode view(WebhookInfo w) {
        ObjectNode n = ServerJson.MAPPER.createObjectNode();
        n.put("webhookId", w.webhookId());
        n.put("scope", w.scope());
        n.put("url", w.url());
        n.set("events", ServerJson.MAPPER.valueToTree(w.events()));
        n.put("enabled", w.enabled());
        if (w.secret() != null) {
            n.put("secret", w.secret()); // shown when created or replaced only
        }
        n.put("createdAt", Timestamps.format(w.createdAt()));
        n.put("updatedAt", Timestamps.format(w.updatedAt()));
        return n;
    }

    static ObjectNode view(WebhookDelivery d) {
        ObjectNode n = ServerJson.MAPPER.createObjectNode();
        n.put("deliveryId", d.deliveryId());
        n.put("webhookId", d.webhookId());
        n.put("runId", d.runId());
        n.put("seq", d.seq());
        n.put("eventType", d.eventType());
        n.put("status", d.status());
        n.put("attempts", d.attempts());
        if (d.lastStatusCode() == null) {
            n.putNull("lastStatusCode");
        } else {
            n.put("lastStatusCode", d.lastStatusCode());
        }
        n.put("lastError", d.lastError());
        n.put("createdAt", Timestamps.format(d.createdAt()));
        n.put("nextAttemptAt", "pending".equals(d.status()) ? Timestamps.format(d.nextAttemptAt()) : null);
        n.put("deliveredAt", Timestamps.format(d.deliveredAt()));
        n.set("attemptLog", d.attemptLog());
        return n;
    }
}

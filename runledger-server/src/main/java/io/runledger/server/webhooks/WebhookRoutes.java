package io.runledger.server.webhooks;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.api.InvalidNameException;
import io.runledger.api.WebhookInfo;
import io.runledger.api.WebhookKind;
import io.runledger.api.WebhookSpec;
import io.runledger.api.Webhooks;
import io.runledger.server.auth.Authenticator;
import io.runledger.server.http.EmptyBody;
import io.runledger.server.http.JsonBodies;
import io.runledger.server.http.Params;
import io.runledger.server.http.Paths;
import io.runledger.server.http.Responses;
import io.runledger.server.http.Views;
import io.runledger.server.wire.ListView;
import io.runledger.server.wire.OneOf;
import io.runledger.server.wire.Required;
import java.util.List;
import java.util.Objects;

/** Webhook endpoints of a scope with their stats, their delivery log and redelivery. */
public final class WebhookRoutes {
    private final Webhooks webhooks;
    private final Authenticator auth;

    /** The body of {@code PUT .../webhooks/{id}}. */
    public record WebhookBody(
            @Required @JsonPropertyDescription("an absolute http(s) URL") String url,
            @JsonPropertyDescription("event types or patterns to deliver") List<String> events,
            @JsonPropertyDescription("whsec_ followed by base64 of 24 to 64 bytes (default: generated)")
            String secret,
            Boolean enabled,
            @OneOf(of = WebhookKind.class) String kind,
            @JsonPropertyDescription("alert only: at most one alert per service per window") Integer windowSeconds) {
    }

    public WebhookRoutes(Webhooks webhooks, Authenticator auth) {
        this.webhooks = Objects.requireNonNull(webhooks, "webhooks");
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    public void register(RoutesConfig routes) {
        routes.get(Paths.WEBHOOKS, this::list);
        routes.put(Paths.WEBHOOK, this::put);
        routes.get(Paths.WEBHOOK, this::get);
        routes.delete(Paths.WEBHOOK, this::delete);
        routes.get(Paths.WEBHOOK_DELIVERIES, this::deliveries);
        routes.post(Paths.WEBHOOK_REDELIVER, this::redeliver);
    }

    private static String webhookId(Context ctx) {
        return InvalidNameException.requireValid("webhook", ctx.pathParam("webhookId"));
    }

    private void put(Context ctx) {
        String scope = auth.scope(ctx);
        String id = webhookId(ctx);
        WebhookBody b = JsonBodies.object(ctx, WebhookBody.class);
        WebhookInfo hook = webhooks.put(scope, id, new WebhookSpec(b.url(), b.events(), b.secret(), b.enabled(),
                b.kind() == null ? null : WebhookKind.fromWire(b.kind()), b.windowSeconds()));
        Responses.json(ctx, hook.created() ? 201 : 200, Views.webhook(hook));
    }

    private void get(Context ctx) {
        String scope = auth.scope(ctx);
        Responses.json(ctx, 200, Views.webhook(webhooks.get(scope, webhookId(ctx))));
    }

    private void list(Context ctx) {
        String scope = auth.scope(ctx);
        Responses.json(ctx, 200, new ListView<>(webhooks.list(scope).stream().map(Views::webhook).toList()));
    }

    private void delete(Context ctx) {
        String scope = auth.scope(ctx);
        webhooks.delete(scope, webhookId(ctx));
        ctx.status(204);
    }

    private void deliveries(Context ctx) {
        String scope = auth.scope(ctx);
        String id = webhookId(ctx);
        int limit = (int) Params.longParam(ctx, "limit", 50, 1, 200);
        var items = webhooks.deliveries(scope, id, Params.text(ctx, "status"), limit).stream()
                .map(Views::delivery).toList();
        Responses.json(ctx, 200, new ListView<>(items));
    }

    private void redeliver(Context ctx) {
        String scope = auth.scope(ctx);
        String id = webhookId(ctx);
        JsonBodies.optionalObject(ctx, EmptyBody.class);
        Responses.json(ctx, 202, Views.delivery(webhooks.redeliver(scope, id, ctx.pathParam("deliveryId"))));
    }
}

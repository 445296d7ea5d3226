package io.runledger.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.api.Admin;
import io.runledger.api.InvalidNameException;
import io.runledger.api.NewScopeKey;
import io.runledger.api.RetryPolicy;
import io.runledger.api.ServiceInfo;
import io.runledger.api.ServiceSpec;
import io.runledger.server.auth.Authenticator;
import io.runledger.server.http.JsonBodies;
import io.runledger.server.http.Paths;
import io.runledger.server.http.Responses;
import io.runledger.server.http.ServerJson;
import io.runledger.server.http.Views;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Scopes and their keys (admin key only), services (admin or the scope's key). */
public final class AdminRoutes {
    private static final Logger log = LoggerFactory.getLogger(AdminRoutes.class);

    private final Admin admin;
    private final Authenticator auth;

    public AdminRoutes(Admin admin, Authenticator auth) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    /** No fields: a PUT of a scope may carry {@code {}} or nothing. */
    record EmptyBody() {
    }

    /** The body of {@code POST .../keys}: optional, as is its name. */
    record KeyBody(String name) {
    }

    /** The body of {@code PUT .../services/{service}}. */
    record ServiceBody(Integer maxAttempts, Integer leaseTtlSeconds, JsonNode inputSchema, Integer concurrencyLimit,
                       String description, RetryPolicy retry, Integer retentionDays) {
    }

    public void register(RoutesConfig routes) {
        routes.put(Paths.SCOPE, this::scopePut);
        routes.post(Paths.SCOPE_KEYS, this::keyCreate);
        routes.get(Paths.SCOPE_KEYS, this::keysList);
        routes.delete(Paths.SCOPE_KEY, this::keyDelete);
        routes.put(Paths.SERVICE, this::servicePut);
        routes.get(Paths.SERVICES, this::servicesList);
        routes.get(Paths.SERVICE, this::serviceGet);
        routes.post(Paths.SERVICE_PAUSE, ctx -> servicePaused(ctx, true));
        routes.post(Paths.SERVICE_RESUME, ctx -> servicePaused(ctx, false));
        routes.get(Paths.QUEUES, this::queues);
    }

    private void queues(Context ctx) {
        String scope = auth.scope(ctx);
        var items = admin.queues(scope).stream().map(Views::queue).toList();
        Responses.json(ctx, 200, ServerJson.MAPPER.createObjectNode().set("items", Views.array(items)));
    }

    private void scopePut(Context ctx) {
        auth.requireAdmin(ctx);
        String scope = InvalidNameException.requireValid("scope", ctx.pathParam("scope"));
        JsonBodies.optionalObject(ctx, EmptyBody.class);
        boolean created = admin.scopePut(scope);
        if (created) {
            log.info("scope {} created", scope);
        }
        ObjectNode body = ServerJson.MAPPER.createObjectNode().put("scope", scope).put("created", created);
        Responses.json(ctx, created ? 201 : 200, body);
    }

    private void keyCreate(Context ctx) {
        auth.requireAdmin(ctx);
        String scope = InvalidNameException.requireValid("scope", ctx.pathParam("scope"));
        KeyBody b = JsonBodies.optionalObject(ctx, KeyBody.class);
        NewScopeKey created = admin.keyCreate(scope, b.name());
        ObjectNode body = Views.scopeKey(created.info());
        body.put("key", created.key()); // shown this once; only its hash is kept
        Responses.json(ctx, 201, body);
    }

    private void keysList(Context ctx) {
        auth.requireAdmin(ctx);
        String scope = InvalidNameException.requireValid("scope", ctx.pathParam("scope"));
        var items = admin.keysList(scope).stream().map(Views::scopeKey).toList();
        Responses.json(ctx, 200, ServerJson.MAPPER.createObjectNode().set("items", Views.array(items)));
    }

    private void keyDelete(Context ctx) {
        auth.requireAdmin(ctx);
        String scope = InvalidNameException.requireValid("scope", ctx.pathParam("scope"));
        admin.keyDelete(scope, ctx.pathParam("keyId"));
        ctx.status(204);
    }

    private void servicePut(Context ctx) {
        String scope = auth.scope(ctx);
        String service = InvalidNameException.requireValid("service", ctx.pathParam("service"));
        ServiceBody b = JsonBodies.optionalObject(ctx, ServiceBody.class);
        ServiceInfo info = admin.servicePut(scope, service,
                new ServiceSpec(b.maxAttempts(), b.leaseTtlSeconds(), b.inputSchema(), b.concurrencyLimit(),
                        b.description(), b.retry(), b.retentionDays()));
        Responses.json(ctx, 200, Views.service(info));
    }

    private void servicesList(Context ctx) {
        String scope = auth.scope(ctx);
        var items = admin.servicesList(scope).stream().map(Views::service).toList();
        Responses.json(ctx, 200, ServerJson.MAPPER.createObjectNode().set("items", Views.array(items)));
    }

    private void serviceGet(Context ctx) {
        String scope = auth.scope(ctx);
        String service = InvalidNameException.requireValid("service", ctx.pathParam("service"));
        Responses.json(ctx, 200, Views.service(admin.serviceGet(scope, service)));
    }

    private void servicePaused(Context ctx, boolean paused) {
        String scope = auth.scope(ctx);
        String service = InvalidNameException.requireValid("service", ctx.pathParam("service"));
        JsonBodies.optionalObject(ctx, EmptyBody.class);
        ServiceInfo info = paused ? admin.servicePause(scope, service) : admin.serviceResume(scope, service);
        log.info("service {}/{} {}", scope, service, paused ? "paused" : "resumed");
        Responses.json(ctx, 200, Views.service(info));
    }
}

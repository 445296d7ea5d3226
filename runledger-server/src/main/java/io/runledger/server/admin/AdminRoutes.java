package io.runledger.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.api.Admin;
import io.runledger.api.InvalidNameException;
import io.runledger.api.NotFoundException;
import io.runledger.api.ServiceInfo;
import io.runledger.api.ServiceSpec;
import io.runledger.api.Timestamps;
import io.runledger.core.internal.engine.Limits;
import io.runledger.server.auth.ApiKeys;
import io.runledger.server.auth.Authenticator;
import io.runledger.server.auth.ScopeKey;
import io.runledger.server.auth.ScopeKeyStore;
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
    private final ScopeKeyStore keys;

    public AdminRoutes(Admin admin, Authenticator auth, ScopeKeyStore keys) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /** No fields: a PUT of a scope may carry {@code {}} or nothing. */
    record EmptyBody() {
    }

    /** The body of {@code POST .../keys}: optional, as is its name. */
    record KeyBody(String name) {
    }

    /** A key's name is a label for people: any text, but not a document. */
    static final int MAX_KEY_NAME = 200;

    /** The body of {@code PUT .../services/{service}}. */
    record ServiceBody(Integer maxAttempts, Integer leaseTtlSeconds, JsonNode inputSchema, Integer concurrencyLimit,
                       String description) {
    }

    public void register(RoutesConfig routes) {
        routes.put(Paths.SCOPE, this::scopePut);
        routes.post(Paths.SCOPE_KEYS, this::keyCreate);
        routes.get(Paths.SCOPE_KEYS, this::keysList);
        routes.delete(Paths.SCOPE_KEY, this::keyDelete);
        routes.put(Paths.SERVICE, this::servicePut);
        routes.get(Paths.SERVICES, this::servicesList);
        routes.get(Paths.SERVICE, this::serviceGet);
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
        String scope = existingScope(ctx);
        KeyBody b = JsonBodies.optionalObject(ctx, KeyBody.class);
        Limits.optionalText("name", b.name(), MAX_KEY_NAME);
        String key = ApiKeys.generate(ApiKeys.SCOPE_PREFIX);
        ScopeKey created = keys.keyInsert(scope, ApiKeys.hash(key), b.name());
        log.info("key {} created for scope {}", created.keyId(), scope);
        ObjectNode body = keyView(created);
        body.put("key", key); // shown this once; only its hash is kept
        Responses.json(ctx, 201, body);
    }

    private void keysList(Context ctx) {
        auth.requireAdmin(ctx);
        String scope = existingScope(ctx);
        var items = keys.keysList(scope).stream().map(AdminRoutes::keyView).toList();
        Responses.json(ctx, 200, ServerJson.MAPPER.createObjectNode().set("items", Views.array(items)));
    }

    private void keyDelete(Context ctx) {
        auth.requireAdmin(ctx);
        String scope = existingScope(ctx);
        String keyId = ctx.pathParam("keyId");
        if (!keys.keyDelete(scope, keyId)) {
            throw NotFoundException.of("key_not_found", "scope '" + scope + "' has no key '"
                    + (keyId.length() > 80 ? keyId.substring(0, 80) + "..." : keyId) + "'");
        }
        log.info("key {} of scope {} revoked", keyId, scope);
        ctx.status(204);
    }

    private String existingScope(Context ctx) {
        String scope = InvalidNameException.requireValid("scope", ctx.pathParam("scope"));
        if (!admin.scopeExists(scope)) {
            throw NotFoundException.scope(scope);
        }
        return scope;
    }

    /** A key as the admin sees it: never the key, never its hash. */
    private static ObjectNode keyView(ScopeKey k) {
        ObjectNode node = ServerJson.MAPPER.createObjectNode();
        node.put("scope", k.scope());
        node.put("keyId", k.keyId());
        node.put("name", k.name());
        node.put("createdAt", Timestamps.format(k.createdAt()));
        node.put("lastUsedAt", k.lastUsedAt() == null ? null : Timestamps.format(k.lastUsedAt()));
        return node;
    }

    private void servicePut(Context ctx) {
        String scope = auth.scope(ctx);
        String service = InvalidNameException.requireValid("service", ctx.pathParam("service"));
        ServiceBody b = JsonBodies.optionalObject(ctx, ServiceBody.class);
        ServiceInfo info = admin.servicePut(scope, service,
                new ServiceSpec(b.maxAttempts(), b.leaseTtlSeconds(), b.inputSchema(), b.concurrencyLimit(),
                        b.description()));
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
}

package io.runledger.server.admin;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.api.Admin;
import io.runledger.api.InvalidNameException;
import io.runledger.api.NewScopeKey;
import io.runledger.api.OverviewWindow;
import io.runledger.api.RetryPolicy;
import io.runledger.api.ServiceInfo;
import io.runledger.api.ServiceSpec;
import io.runledger.core.internal.kernel.Limits;
import io.runledger.server.auth.Authenticator;
import io.runledger.server.http.EmptyBody;
import io.runledger.server.http.JsonBodies;
import io.runledger.server.http.Params;
import io.runledger.server.http.Paths;
import io.runledger.server.http.Responses;
import io.runledger.server.http.Views;
import io.runledger.server.wire.ListView;
import io.runledger.server.wire.Range;
import io.runledger.server.wire.ScopeView;
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

    /** The body of {@code POST .../keys}: optional, as is its name. */
    public record KeyBody(@JsonPropertyDescription("what the key is for, shown in the key list") String name) {
    }

    /** The body of {@code PUT .../services/{service}}. */
    public record ServiceBody(
            @JsonPropertyDescription("attempts a run gets (default 3)") @Range(min = 1, max = Limits.MAX_ATTEMPTS)
            Integer maxAttempts,
            @JsonPropertyDescription("how long a lease lasts without a heartbeat (default 30)")
            @Range(min = 1, max = Limits.MAX_LEASE_TTL_SECONDS) Integer leaseTtlSeconds,
            @JsonPropertyDescription("a JSON Schema (2020-12 unless it says otherwise) every input must conform to")
            JsonNode inputSchema,
            @JsonPropertyDescription("at most this many of its runs run at once") @Range(min = 1, max = 1_000_000)
            Integer concurrencyLimit,
            String description,
            RetryPolicy retry,
            @JsonPropertyDescription("terminal runs older than this are deleted (default 30; 0 keeps them)")
            @Range(min = 0, max = ServiceSpec.MAX_RETENTION_DAYS) Integer retentionDays) {
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
        routes.get(Paths.OVERVIEW, this::overview);
    }

    private void overview(Context ctx) {
        String scope = auth.scope(ctx);
        String window = Params.text(ctx, "window");
        Responses.json(ctx, 200, Views.overview(admin.overview(scope,
                window == null ? OverviewWindow.HOUR_1 : OverviewWindow.fromWire(window))));
    }

    private void queues(Context ctx) {
        String scope = auth.scope(ctx);
        Responses.json(ctx, 200, new ListView<>(admin.queues(scope).stream().map(Views::queue).toList()));
    }

    private void scopePut(Context ctx) {
        auth.requireAdmin(ctx);
        String scope = InvalidNameException.requireValid("scope", ctx.pathParam("scope"));
        JsonBodies.optionalObject(ctx, EmptyBody.class);
        boolean created = admin.scopePut(scope);
        if (created) {
            log.info("scope {} created", scope);
        }
        Responses.json(ctx, created ? 201 : 200, new ScopeView(scope, created));
    }

    private void keyCreate(Context ctx) {
        auth.requireAdmin(ctx);
        String scope = InvalidNameException.requireValid("scope", ctx.pathParam("scope"));
        KeyBody b = JsonBodies.optionalObject(ctx, KeyBody.class);
        NewScopeKey created = admin.keyCreate(scope, b.name());
        Responses.json(ctx, 201, Views.newScopeKey(created));
    }

    private void keysList(Context ctx) {
        auth.requireAdmin(ctx);
        String scope = InvalidNameException.requireValid("scope", ctx.pathParam("scope"));
        Responses.json(ctx, 200, new ListView<>(admin.keysList(scope).stream().map(Views::scopeKey).toList()));
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
        Responses.json(ctx, 200, new ListView<>(admin.servicesList(scope).stream().map(Views::service).toList()));
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

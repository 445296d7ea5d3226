package io.runledger.server.waitpoints;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.api.NewWaitpoint;
import io.runledger.api.NotFoundException;
import io.runledger.api.Page;
import io.runledger.api.Waitpoint;
import io.runledger.api.WaitpointCreate;
import io.runledger.api.WaitpointFilter;
import io.runledger.api.WaitpointStatus;
import io.runledger.api.Waitpoints;
import io.runledger.core.internal.kernel.Limits;
import io.runledger.server.auth.Authenticator;
import io.runledger.server.http.JsonBodies;
import io.runledger.server.http.Params;
import io.runledger.server.http.Paths;
import io.runledger.server.http.Responses;
import io.runledger.server.http.Views;
import io.runledger.server.wire.CreatedWaitpointView;
import io.runledger.server.wire.PageView;
import io.runledger.server.wire.Range;
import io.runledger.server.wire.WaitpointView;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Token waitpoints of a scope: create (201 with the callback URL, shown once), complete with a
 * key of the scope, read and list. The key-less completion by secret is {@link CallbackRoutes}.
 */
public final class WaitpointRoutes {
    /** What a waitpoint id may look like at all; anything else is simply not found. */
    private static final Pattern WAITPOINT_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final Waitpoints waitpoints;
    private final Authenticator auth;

    public record CreateBody(
            @JsonPropertyDescription("the token times out after this many seconds (default: never)")
            @Range(min = 1, max = Limits.MAX_DELAY_SECONDS) Long timeoutSeconds,
            @JsonPropertyDescription("a create again with the same key answers the same waitpoint (200)")
            String idempotencyKey,
            @Range(max = Limits.MAX_TAGS) List<String> tags,
            @JsonPropertyDescription("the run the token belongs to, if any") String runId) {
    }

    public record CompleteTokenBody(@JsonPropertyDescription("the token's result: any JSON value") JsonNode data) {
    }

    public WaitpointRoutes(Waitpoints waitpoints, Authenticator auth) {
        this.waitpoints = Objects.requireNonNull(waitpoints, "waitpoints");
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    public void register(RoutesConfig routes) {
        routes.post(Paths.WAITPOINTS, this::create);
        routes.get(Paths.WAITPOINTS, this::list);
        routes.get(Paths.WAITPOINT, this::get);
        routes.post(Paths.WAITPOINT_COMPLETE, this::complete);
    }

    /** The path's waitpoint id; one that cannot exist is simply not found. */
    static String waitpointId(Context ctx) {
        String id = ctx.pathParam("waitpointId");
        if (!WAITPOINT_ID.matcher(id).matches()) {
            throw NotFoundException.of("waitpoint_not_found", "waitpoint does not exist");
        }
        return id;
    }

    private void create(Context ctx) {
        String scope = auth.scope(ctx);
        CreateBody b = JsonBodies.optionalObject(ctx, CreateBody.class);
        NewWaitpoint created = waitpoints.create(scope,
                new WaitpointCreate(b.timeoutSeconds(), b.idempotencyKey(), b.tags(), b.runId()));
        WaitpointView view = Views.waitpoint(created.waitpoint());
        if (created.replayed()) {
            ctx.header("Idempotent-Replayed", "true");
            Responses.json(ctx, 200, view); // the secret was shown once, to the first create
            return;
        }
        ctx.header("Location", Paths.waitpoint(scope, created.waitpoint().waitpointId()));
        Responses.json(ctx, 201, new CreatedWaitpointView(view, origin(ctx) + created.callbackUrl()));
    }

    /**
     * {@code scheme://host:port} as the caller reached this server (Jetty builds it from the
     * Host header, else from the local address), so the callback URL works from where the
     * caller stands. The server knows no public URL of its own; behind a proxy that rewrites
     * the host the caller must rebase the path.
     */
    static String origin(Context ctx) {
        String url = ctx.req().getRequestURL().toString();
        int slash = url.indexOf('/', url.indexOf("://") + 3);
        return slash < 0 ? url : url.substring(0, slash);
    }

    private void complete(Context ctx) {
        String scope = auth.scope(ctx);
        String id = waitpointId(ctx);
        CompleteTokenBody b = JsonBodies.object(ctx, CompleteTokenBody.class);
        Responses.json(ctx, 200, Views.waitpoint(waitpoints.complete(scope, id, b.data())));
    }

    private void get(Context ctx) {
        String scope = auth.scope(ctx);
        Responses.json(ctx, 200, Views.waitpoint(waitpoints.get(scope, waitpointId(ctx))));
    }

    private void list(Context ctx) {
        String scope = auth.scope(ctx);
        String status = Params.text(ctx, "status");
        WaitpointFilter filter = new WaitpointFilter(
                status == null ? null : WaitpointStatus.fromWire(status),
                Params.text(ctx, "runId"),
                (int) Params.longParam(ctx, "limit", WaitpointFilter.DEFAULT_LIMIT, 1, WaitpointFilter.MAX_LIMIT),
                Params.text(ctx, "cursor"));
        Page<Waitpoint> page = waitpoints.list(scope, filter);
        Responses.json(ctx, 200, new PageView<>(page.items().stream().map(Views::waitpoint).toList(),
                page.nextCursor()));
    }
}

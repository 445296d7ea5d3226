package io.runledger.server.bulk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.api.BulkAction;
import io.runledger.api.BulkActionKind;
import io.runledger.api.BulkActionRequest;
import io.runledger.api.BulkActions;
import io.runledger.api.BulkFilter;
import io.runledger.api.RunHealth;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.NotFoundException;
import io.runledger.api.Page;
import io.runledger.api.RunStatus;
import io.runledger.api.Timestamps;
import io.runledger.server.auth.Authenticator;
import io.runledger.server.http.JsonBodies;
import io.runledger.server.http.Params;
import io.runledger.server.http.Paths;
import io.runledger.server.http.Responses;
import io.runledger.server.http.ServerJson;
import io.runledger.server.http.Views;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Bulk actions of a scope: create (202 with the action, its runs processed in the background),
 * read, list newest first, and cancel (stops it before its next page).
 */
public final class BulkActionRoutes {
    /** What a bulk action id may look like at all; anything else is simply not found. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final BulkActions bulk;
    private final Authenticator auth;

    record FilterBody(String service, String status, String concurrencyKey, String tag, String parentRunId,
                      String createdAfter, String createdBefore, String health, Integer stuckAfterSeconds,
                      Integer silentForSeconds) {
    }

    /** {@code dryRun: true} only counts the matching runs: 200 {@code {matched}}, nothing written. */
    record CreateBody(String action, FilterBody filter, String reason, String idempotencyKey, Boolean dryRun) {
    }

    public BulkActionRoutes(BulkActions bulk, Authenticator auth) {
        this.bulk = Objects.requireNonNull(bulk, "bulk");
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    public void register(RoutesConfig routes) {
        routes.post(Paths.BULK_ACTIONS, this::create);
        routes.get(Paths.BULK_ACTIONS, this::list);
        routes.get(Paths.BULK_ACTION, this::get);
        routes.post(Paths.BULK_ACTION_CANCEL, this::cancel);
    }

    private static String bulkActionId(Context ctx) {
        String id = ctx.pathParam("bulkActionId");
        if (!ID.matcher(id).matches()) {
            throw NotFoundException.of("bulk_action_not_found", "bulk action does not exist");
        }
        return id;
    }

    private void create(Context ctx) {
        String scope = auth.scope(ctx);
        CreateBody b = JsonBodies.object(ctx, CreateBody.class);
        if (b.action() == null) {
            throw new InvalidArgumentException("action is required: cancel or replay");
        }
        BulkActionKind action = BulkActionKind.fromWire(b.action());
        BulkActionRequest request = new BulkActionRequest(action, filter(b.filter()), b.reason(), b.idempotencyKey());
        if (Boolean.TRUE.equals(b.dryRun())) {
            int matched = bulk.count(scope, request);
            ObjectNode answer = ServerJson.MAPPER.createObjectNode();
            answer.put("dryRun", true);
            answer.put("action", action.wireName());
            answer.put("matched", matched);
            Responses.json(ctx, 200, answer);
            return;
        }
        BulkAction created = bulk.create(scope, request);
        ctx.header("Location", Paths.bulkAction(scope, created.bulkActionId()));
        Responses.json(ctx, 202, view(created));
    }

    static BulkFilter filter(FilterBody f) {
        if (f == null) {
            return BulkFilter.all();
        }
        return new BulkFilter(f.service(), f.status() == null ? null : RunStatus.fromWire(f.status()),
                f.concurrencyKey(), f.tag(), f.parentRunId(),
                f.createdAfter() == null ? null : Params.parseInstant("filter.createdAfter", f.createdAfter()),
                f.createdBefore() == null ? null : Params.parseInstant("filter.createdBefore", f.createdBefore()),
                f.health() == null ? null : RunHealth.fromWire(f.health()), f.stuckAfterSeconds(),
                f.silentForSeconds());
    }

    private void get(Context ctx) {
        String scope = auth.scope(ctx);
        Responses.json(ctx, 200, view(bulk.get(scope, bulkActionId(ctx))));
    }

    private void cancel(Context ctx) {
        String scope = auth.scope(ctx);
        String id = bulkActionId(ctx);
        JsonBodies.optionalObject(ctx, EmptyBody.class);
        Responses.json(ctx, 200, view(bulk.cancel(scope, id)));
    }

    record EmptyBody() {
    }

    private void list(Context ctx) {
        String scope = auth.scope(ctx);
        Page<BulkAction> page = bulk.list(scope,
                (int) Params.longParam(ctx, "limit", BulkActions.DEFAULT_LIMIT, 1, BulkActions.MAX_LIMIT),
                Params.text(ctx, "cursor"));
        ObjectNode body = ServerJson.MAPPER.createObjectNode();
        body.set("items", Views.array(page.items().stream().map(BulkActionRoutes::view).toList()));
        body.put("nextCursor", page.nextCursor());
        Responses.json(ctx, 200, body);
    }

    /** The JSON of an action, as the API answers it. */
    public static ObjectNode view(BulkAction a) {
        ObjectNode n = ServerJson.MAPPER.createObjectNode();
        n.put("bulkActionId", a.bulkActionId());
        n.put("scope", a.scope());
        n.put("action", a.action().wireName());
        ObjectNode f = n.putObject("filter");
        BulkFilter filter = a.filter();
        f.put("service", filter.service());
        f.put("status", filter.status() == null ? null : filter.status().wireName());
        f.put("concurrencyKey", filter.concurrencyKey());
        f.put("tag", filter.tag());
        f.put("parentRunId", filter.parentRunId());
        f.put("createdAfter", Timestamps.format(filter.createdAfter()));
        f.put("createdBefore", Timestamps.format(filter.createdBefore()));
        f.put("health", filter.health() == null ? null : filter.health().wireName());
        if (filter.stuckAfterSeconds() != null) {
            f.put("stuckAfterSeconds", filter.stuckAfterSeconds());
        }
        if (filter.silentForSeconds() != null) {
            f.put("silentForSeconds", filter.silentForSeconds());
        }
        n.put("reason", a.reason());
        n.put("status", a.status().wireName());
        n.put("matched", a.matched());
        n.put("processed", a.processed());
        n.put("skipped", a.skipped());
        n.put("failed", a.failed());
        n.put("createdAt", Timestamps.format(a.createdAt()));
        n.put("updatedAt", Timestamps.format(a.updatedAt()));
        n.put("finishedAt", Timestamps.format(a.finishedAt()));
        return n;
    }
}

package io.runledger.server.bulk;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.api.BulkAction;
import io.runledger.api.BulkActionKind;
import io.runledger.api.BulkActionRequest;
import io.runledger.api.BulkActions;
import io.runledger.api.BulkFilter;
import io.runledger.api.RunFilter;
import io.runledger.api.RunHealth;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.NotFoundException;
import io.runledger.api.Page;
import io.runledger.api.RunStatus;
import io.runledger.server.auth.Authenticator;
import io.runledger.server.http.EmptyBody;
import io.runledger.server.http.JsonBodies;
import io.runledger.server.http.Params;
import io.runledger.server.http.Paths;
import io.runledger.server.http.Responses;
import io.runledger.server.http.Views;
import io.runledger.server.wire.BulkActionView;
import io.runledger.server.wire.BulkDryRunView;
import io.runledger.server.wire.OneOf;
import io.runledger.server.wire.PageView;
import io.runledger.server.wire.Range;
import io.runledger.server.wire.Required;
import io.runledger.server.wire.Timestamp;
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

    public record BulkFilterBody(
            String service,
            @OneOf(of = RunStatus.class) String status,
            String concurrencyKey,
            String tag,
            String parentRunId,
            @Timestamp String createdAfter,
            @Timestamp String createdBefore,
            @OneOf(of = RunHealth.class) String health,
            @Range(min = 1, max = RunFilter.MAX_HEALTH_SECONDS) Integer stuckAfterSeconds,
            @Range(min = 1, max = RunFilter.MAX_HEALTH_SECONDS) Integer silentForSeconds) {
    }

    /** {@code dryRun: true} only counts the matching runs: 200 {@code {matched}}, nothing written. */
    public record BulkActionBody(
            @Required @OneOf(of = BulkActionKind.class) String action,
            @JsonPropertyDescription("the runs to act on: the run list's filters (default: every run)")
            BulkFilterBody filter,
            String reason,
            String idempotencyKey,
            @JsonPropertyDescription("only count the matching runs: 200 with matched, nothing written")
            Boolean dryRun) {
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
        BulkActionBody b = JsonBodies.object(ctx, BulkActionBody.class);
        if (b.action() == null) {
            throw new InvalidArgumentException("action is required: cancel or replay");
        }
        BulkActionKind action = BulkActionKind.fromWire(b.action());
        BulkActionRequest request = new BulkActionRequest(action, filter(b.filter()), b.reason(), b.idempotencyKey());
        if (Boolean.TRUE.equals(b.dryRun())) {
            int matched = bulk.count(scope, request);
            Responses.json(ctx, 200, new BulkDryRunView(true, action, matched));
            return;
        }
        BulkAction created = bulk.create(scope, request);
        ctx.header("Location", Paths.bulkAction(scope, created.bulkActionId()));
        Responses.json(ctx, 202, view(created));
    }

    static BulkFilter filter(BulkFilterBody f) {
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

    private void list(Context ctx) {
        String scope = auth.scope(ctx);
        Page<BulkAction> page = bulk.list(scope,
                (int) Params.longParam(ctx, "limit", BulkActions.DEFAULT_LIMIT, 1, BulkActions.MAX_LIMIT),
                Params.text(ctx, "cursor"));
        Responses.json(ctx, 200, new PageView<>(page.items().stream().map(BulkActionRoutes::view).toList(),
                page.nextCursor()));
    }

    /** The JSON of an action, as the API answers it. */
    public static BulkActionView view(BulkAction a) {
        return Views.bulkAction(a);
    }
}

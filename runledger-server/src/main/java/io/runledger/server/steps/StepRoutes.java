package io.runledger.server.steps;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.api.Page;
import io.runledger.api.Runs;
import io.runledger.api.StepRecord;
import io.runledger.api.Workers;
import io.runledger.server.auth.Authenticator;
import io.runledger.server.http.JsonBodies;
import io.runledger.server.http.Params;
import io.runledger.server.http.Paths;
import io.runledger.server.http.Responses;
import io.runledger.server.http.Views;
import io.runledger.server.wire.Required;
import io.runledger.server.wire.StepPageView;
import java.util.Objects;

/**
 * {@code POST .../runs/{runId}/steps/{step}} records a durable step (fenced; a second record
 * answers the first output, {@code replayed}); {@code GET .../runs/{runId}/steps} pages them.
 * A step name may hold {@code /}: it arrives as {@code %2F} inside its one path segment, which
 * the server's URI compliance lets through and the router decodes.
 */
public final class StepRoutes {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    private final Runs runs;
    private final Workers workers;
    private final Authenticator auth;

    public record RecordBody(@Required String leaseToken,
                             @JsonPropertyDescription("the step's result, at most 1 MiB") JsonNode output) {
    }

    public StepRoutes(Runs runs, Workers workers, Authenticator auth) {
        this.runs = Objects.requireNonNull(runs, "runs");
        this.workers = Objects.requireNonNull(workers, "workers");
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    public void register(RoutesConfig routes) {
        routes.post(Paths.RUN_STEP, this::record);
        routes.get(Paths.RUN_STEPS, this::list);
    }

    private void record(Context ctx) {
        String scope = auth.scope(ctx);
        String runId = Params.runId(ctx);
        String step = ctx.pathParam("step");
        RecordBody b = JsonBodies.object(ctx, RecordBody.class);
        StepRecord recorded = workers.stepRecord(scope, runId, step, b.leaseToken(), b.output());
        Responses.json(ctx, 200, Views.step(recorded));
    }

    private void list(Context ctx) {
        String scope = auth.scope(ctx);
        String runId = Params.runId(ctx);
        long after = Params.longParam(ctx, "after", 0, 0, Long.MAX_VALUE);
        int limit = (int) Params.longParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        Page<StepRecord> page = runs.steps(scope, runId, after, limit);
        // the engine's cursor is the last seq
        Long nextAfter = page.nextCursor() == null ? null : Long.parseLong(page.nextCursor());
        Responses.json(ctx, 200, new StepPageView(page.items().stream().map(Views::step).toList(), nextAfter));
    }
}

package io.runledger.server.runs;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.api.CancelResult;
import io.runledger.api.EventPage;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidNameException;
import io.runledger.api.KeyCancelResult;
import io.runledger.api.Page;
import io.runledger.api.RebuildResult;
import io.runledger.api.Receipt;
import io.runledger.api.Run;
import io.runledger.api.RunFilter;
import io.runledger.api.RunHealth;
import io.runledger.api.RunStatus;
import io.runledger.api.Runs;
import io.runledger.api.ValidationReport;
import io.runledger.server.auth.Authenticator;
import io.runledger.server.http.EmptyBody;
import io.runledger.server.http.HeldRequests;
import io.runledger.server.http.JsonBodies;
import io.runledger.server.http.Params;
import io.runledger.server.http.Paths;
import io.runledger.server.http.Responses;
import io.runledger.server.http.Views;
import io.runledger.server.wire.EventPageView;
import io.runledger.server.wire.KeyStopView;
import io.runledger.server.wire.PageView;
import io.runledger.server.wire.RebuildView;
import io.runledger.server.wire.Required;
import io.runledger.server.wire.ValidationProblemView;
import io.runledger.server.wire.ValidationView;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caller's side: trigger, list, read, wait on, page through and cancel runs. Reading one
 * run (get, wait, events) is also open to a run access token of that run.
 */
public final class RunRoutes {
    public static final long DEFAULT_WAIT_SECONDS = 30;
    public static final long MAX_WAIT_SECONDS = 300;
    public static final int DEFAULT_EVENTS_LIMIT = 100;
    public static final int MAX_EVENTS_LIMIT = 1000;
    private static final Logger log = LoggerFactory.getLogger(RunRoutes.class);

    private final Runs runs;
    private final Authenticator auth;
    private final Triggers triggers;
    private final HeldRequests held;

    /** {@code runs} of the server's session: its waits end when the server drains. */
    public RunRoutes(Runs runs, Authenticator auth, HeldRequests held) {
        this.runs = Objects.requireNonNull(runs, "runs");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.triggers = new Triggers(runs);
        this.held = Objects.requireNonNull(held, "held");
    }

    /** {@code cascade} (default true) also stops the run's non-terminal descendants. */
    public record CancelBody(
            @JsonPropertyDescription("recorded with the stop") String reason,
            @JsonPropertyDescription("also cancel its non-terminal descendants (default true)") Boolean cascade) {
    }

    /** A stop by idempotency key. */
    public record KeyCancelBody(@Required String idempotencyKey, String reason) {
    }

    public void register(RoutesConfig routes) {
        routes.post(Paths.TRIGGER, this::trigger);
        routes.post(Paths.VALIDATE, this::validate);
        routes.get(Paths.RUNS, this::list);
        routes.get(Paths.RUN, this::get);
        routes.get(Paths.RUN_WAIT, this::await);
        routes.get(Paths.RUN_EVENTS, this::events);
        routes.post(Paths.RUN_CANCEL, this::cancel);
        routes.post(Paths.TRIGGER_CANCEL, this::cancelByKey);
        routes.post(Paths.RUN_REBUILD, this::rebuild);
    }

    private void trigger(Context ctx) {
        String scope = auth.scope(ctx);
        receiptAnswer(ctx, scope, triggers.trigger(ctx, scope, false).receipt());
    }

    /**
     * A trigger's answer, and that of everything that registers a run as a trigger does (a
     * child, a replay): 202 with {@code Location}, or 200 {@code Idempotent-Replayed} when the
     * run existed.
     */
    static void receiptAnswer(Context ctx, String scope, Receipt receipt) {
        if (receipt.replayed()) {
            ctx.header("Idempotent-Replayed", "true");
            Responses.json(ctx, 200, Views.receipt(receipt));
        } else {
            ctx.header("Location", Paths.run(scope, receipt.runId()));
            Responses.json(ctx, 202, Views.receipt(receipt));
        }
    }

    private void list(Context ctx) {
        String scope = auth.scope(ctx);
        String service = Params.text(ctx, "service");
        if (service != null) {
            InvalidNameException.requireValid("service", service);
        }
        String status = Params.text(ctx, "status");
        String health = Params.text(ctx, "health");
        RunFilter filter = new RunFilter(
                service,
                status == null ? null : RunStatus.fromWire(status),
                Params.text(ctx, "concurrencyKey"),
                Params.text(ctx, "tag"),
                Params.text(ctx, "parentRunId"),
                (int) Params.longParam(ctx, "limit", RunFilter.DEFAULT_LIMIT, 1, RunFilter.MAX_LIMIT),
                Params.text(ctx, "cursor"),
                health == null ? null : RunHealth.fromWire(health),
                (int) Params.longParam(ctx, "stuckAfterSeconds", RunFilter.DEFAULT_HEALTH_SECONDS, 1,
                        RunFilter.MAX_HEALTH_SECONDS),
                (int) Params.longParam(ctx, "silentForSeconds", RunFilter.DEFAULT_HEALTH_SECONDS, 1,
                        RunFilter.MAX_HEALTH_SECONDS),
                Params.instant(ctx, "createdAfter"),
                Params.instant(ctx, "createdBefore"));
        Page<Run> page = runs.list(scope, filter);
        Responses.json(ctx, 200, new PageView<>(page.items().stream().map(Views::run).toList(), page.nextCursor()));
    }

    private void get(Context ctx) {
        String scope = auth.readRun(ctx).scope();
        Responses.json(ctx, 200, Views.run(runs.get(scope, Params.runId(ctx))));
    }

    private void await(Context ctx) {
        Authenticator.Access access = auth.readRun(ctx);
        String scope = access.scope();
        String runId = Params.runId(ctx);
        long seconds = Params.longParam(ctx, "timeoutSeconds", DEFAULT_WAIT_SECONDS, 0, MAX_WAIT_SECONDS);
        Run run;
        if (seconds == 0) {
            run = runs.get(scope, runId); // answers at once: not a held request
        } else {
            run = held.hold(ctx, HeldRequests.Kind.WAIT, access.caller(), scope,
                    () -> runs.await(scope, runId, Duration.ofSeconds(seconds)));
        }
        Responses.json(ctx, 200, Views.run(run));
    }

    private void events(Context ctx) {
        String scope = auth.readRun(ctx).scope();
        String runId = Params.runId(ctx);
        if (LedgerExport.wanted(ctx)) {
            LedgerExport.write(ctx, runs, scope, runId);
            return;
        }
        long after = Params.longParam(ctx, "after", 0, 0, Long.MAX_VALUE);
        int limit = (int) Params.longParam(ctx, "limit", DEFAULT_EVENTS_LIMIT, 1, MAX_EVENTS_LIMIT);
        EventPage page = runs.events(scope, runId, after, limit);
        Responses.json(ctx, 200, new EventPageView(page.items().stream().map(Views::event).toList(),
                page.nextAfter()));
    }

    private void cancel(Context ctx) {
        String scope = auth.scope(ctx);
        String runId = Params.runId(ctx);
        CancelBody body = JsonBodies.optionalObject(ctx, CancelBody.class);
        CancelResult result = runs.cancel(scope, runId, body.reason(), body.cascade() == null || body.cascade());
        log.info("cancel of run {}: {}", runId, result.settled() ? "settled" : "stop requested");
        Responses.json(ctx, result.settled() ? 200 : 202, Views.run(result.run()));
    }

    /**
     * A stop by idempotency key: the key's run as a cancel answers it (200 settled, 202 stop
     * requested), or 202 {@code {idempotencyKey, status: "stop_recorded", runId: null,
     * stopRequestedAt}} when no run has the key yet.
     */
    private void cancelByKey(Context ctx) {
        String scope = auth.scope(ctx);
        String service = InvalidNameException.requireValid("service", ctx.pathParam("service"));
        KeyCancelBody body = JsonBodies.optionalObject(ctx, KeyCancelBody.class);
        if (body.idempotencyKey() == null) {
            throw new InvalidArgumentException("idempotencyKey is required");
        }
        KeyCancelResult result = runs.cancelByKey(scope, service, body.idempotencyKey(), body.reason());
        if (result.recorded()) {
            log.info("stop recorded on idempotency key of service {} before its run", service);
            Responses.json(ctx, 202, new KeyStopView(result.idempotencyKey(), "stop_recorded", null,
                    result.stopRecordedAt()));
            return;
        }
        log.info("cancel by key of run {}: {}", result.run().runId(), result.settled() ? "settled" : "stop requested");
        Responses.json(ctx, result.settled() ? 200 : 202, Views.run(result.run()));
    }

    private void rebuild(Context ctx) {
        String scope = auth.scope(ctx);
        String runId = Params.runId(ctx);
        JsonBodies.optionalObject(ctx, EmptyBody.class);
        RebuildResult result = runs.rebuildProjection(scope, runId);
        if (result.changed()) {
            log.warn("projection of run {} differed from its ledger and was repaired", runId);
        }
        Responses.json(ctx, 200, new RebuildView(result.changed(), Views.run(result.before()),
                Views.run(result.after())));
    }

    /** The preflight of a trigger: the trigger's own checks, nothing written. */
    private void validate(Context ctx) {
        String scope = auth.scope(ctx);
        String service = InvalidNameException.requireValid("service", ctx.pathParam("service"));
        TriggerBody b = JsonBodies.object(ctx, TriggerBody.class);
        ValidationReport report;
        try {
            report = runs.validate(scope, service, b.toRequest(ctx.header(Triggers.IDEMPOTENCY_KEY)));
        } catch (InvalidArgumentException e) {
            // a value the trigger would refuse (onConflict, runAt, ...): a finding, not a bad request
            report = new ValidationReport(false, List.of(new ValidationReport.Problem(e.code(), e.getMessage())));
        }
        Responses.json(ctx, 200, new ValidationView(report.valid(), report.problems().stream()
                .map(p -> new ValidationProblemView(p.code(), p.message())).toList()));
    }
}

package io.runledger.server.agentprotocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.Run;
import io.runledger.api.RunStatus;
import io.runledger.api.Runs;
import io.runledger.api.ThreadRun;
import io.runledger.api.Threads;
import io.runledger.server.auth.Authenticator;
import io.runledger.server.http.HeldRequests;
import io.runledger.server.http.JsonBodies;
import io.runledger.server.http.LongPolls;
import io.runledger.server.http.Params;
import io.runledger.server.http.Responses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs: create (answered 200 with the Run, as the SDK discards the body of a 202), create and
 * wait, batches, list, get, join, cancel and delete. Streams are in {@link ApStreamRoutes}.
 */
final class ApRunRoutes {
    private static final Logger log = LoggerFactory.getLogger(ApRunRoutes.class);
    static final int MAX_BATCH = 1000;
    /** The longest {@code cancel?wait=1} waits for the run to settle before answering 202. */
    static final Duration MAX_CANCEL_WAIT = Duration.ofSeconds(300);
    /** The statuses of runs still in flight: every status that is not terminal. */
    static final List<RunStatus> IN_FLIGHT = Stream.of(RunStatus.values()).filter(s -> !s.isTerminal()).toList();

    private final Runs runs;
    private final Threads threads;
    private final RunCreator creator;
    private final RunWaits waits;
    private final Authenticator auth;
    private final LongPolls polls;
    private final HeldRequests held;

    ApRunRoutes(Runs runs, Threads threads, RunCreator creator, RunWaits waits, Authenticator auth, LongPolls polls,
                HeldRequests held) {
        this.polls = Objects.requireNonNull(polls, "polls");
        this.held = Objects.requireNonNull(held, "held");
        this.runs = Objects.requireNonNull(runs, "runs");
        this.threads = Objects.requireNonNull(threads, "threads");
        this.creator = Objects.requireNonNull(creator, "creator");
        this.waits = Objects.requireNonNull(waits, "waits");
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    record CancelManyBody(String threadId, List<String> runIds, String status) {
    }

    void register(RoutesConfig routes) {
        routes.post(ApPaths.THREAD_RUNS, ctx -> create(ctx, ctx.pathParam("threadId")));
        routes.post(ApPaths.RUNS, ctx -> create(ctx, null));
        routes.post(ApPaths.THREAD_RUNS_WAIT, ctx -> createAndWait(ctx, ctx.pathParam("threadId")));
        routes.post(ApPaths.RUNS_WAIT, ctx -> createAndWait(ctx, null));
        routes.post(ApPaths.RUNS_BATCH, this::batch);
        routes.post(ApPaths.RUNS_CANCEL, this::cancelMany);
        routes.get(ApPaths.THREAD_RUNS, this::list);
        routes.get(ApPaths.THREAD_RUN, ctx -> get(ctx, ctx.pathParam("threadId")));
        routes.get(ApPaths.RUN, ctx -> get(ctx, null));
        routes.get(ApPaths.THREAD_RUN_JOIN, ctx -> join(ctx, ctx.pathParam("threadId")));
        routes.get(ApPaths.RUN_JOIN, ctx -> join(ctx, null));
        routes.post(ApPaths.THREAD_RUN_CANCEL, this::cancel);
        routes.delete(ApPaths.THREAD_RUN, this::delete);
    }

    private void create(Context ctx, String threadId) {
        String scope = auth.accessByApiKey(ctx).scope();
        RunCreator.Created c = creator.create(scope, threadId, ApJson.body(ctx, RunCreateBody.class));
        ctx.header("Content-Location", ApPaths.run(c.threadId(), c.run().run().runId()));
        Responses.json(ctx, 200, ApViews.run(c.run(), c.threadId()));
    }

    private void createAndWait(Context ctx, String threadId) {
        var access = auth.accessByApiKey(ctx);
        RunCreator.Created c = creator.create(access.scope(), threadId, ApJson.body(ctx, RunCreateBody.class));
        ctx.header("Content-Location", ApPaths.run(c.threadId(), c.run().run().runId()));
        waits.answer(ctx, access.caller(), access.scope(), c.threadId(), c.run().run().runId());
    }

    /** Runs without a thread, all checked before the first is created. */
    private void batch(Context ctx) {
        String scope = auth.accessByApiKey(ctx).scope();
        JsonNode body = JsonBodies.value(ctx);
        if (!body.isArray()) {
            throw new InvalidArgumentException("the body must be a JSON array of run create payloads");
        }
        if (body.isEmpty() || body.size() > MAX_BATCH) {
            throw new InvalidArgumentException("a batch has 1 to " + MAX_BATCH + " runs");
        }
        List<RunCreateBody> items = new ArrayList<>();
        for (JsonNode item : body) {
            if (!item.isObject()) {
                throw new InvalidArgumentException("each item of the batch must be a run create payload (an object)");
            }
            items.add(creator.checked(scope, null, ApJson.bind(item, RunCreateBody.class)));
        }
        ArrayNode created = ApJson.array();
        for (RunCreateBody item : items) {
            RunCreator.Created c = creator.create(scope, null, item);
            created.add(ApViews.run(c.run(), c.threadId()));
        }
        Responses.json(ctx, 200, created);
    }

    private void list(Context ctx) {
        String scope = auth.accessByApiKey(ctx).scope();
        String threadId = ctx.pathParam("threadId");
        int limit = (int) Params.longParam(ctx, "limit", Paging.DEFAULT_LIMIT, 1, Paging.MAX_LIMIT);
        int offset = (int) Params.longParam(ctx, "offset", 0, 0, Paging.MAX_OFFSET);
        String status = Params.text(ctx, "status");
        List<RunStatus> statuses = ApStatus.filter(status);
        String canonical = threads.get(scope, threadId).threadId();
        ArrayNode items = ApJson.array();
        for (ThreadRun tr : threads.runs(scope, canonical, statuses, limit, offset)) {
            if (status == null || ApStatus.of(tr).equals(status)) {
                items.add(ApViews.run(tr, canonical));
            }
        }
        Responses.json(ctx, 200, items);
    }

    private void get(Context ctx, String threadId) {
        String scope = auth.accessByApiKey(ctx).scope();
        ThreadRun tr = threads.run(scope, threadId, runId(ctx));
        Responses.json(ctx, 200, ApViews.run(tr, threadId == null ? ApViews.threadIdOf(tr.run())
                : threads.get(scope, threadId).threadId()));
    }

    private void join(Context ctx, String threadId) {
        var access = auth.accessByApiKey(ctx);
        String canonical = threadId == null ? null : threads.get(access.scope(), threadId).threadId();
        ThreadRun tr = threads.run(access.scope(), canonical, runId(ctx));
        boolean cancelOnDisconnect = flag(ctx, "cancel_on_disconnect");
        boolean gone = waits.answer(ctx, access.caller(), access.scope(), canonical, tr.run().runId());
        if (gone && cancelOnDisconnect) {
            runs.cancel(access.scope(), tr.run().runId(), "the joining client disconnected (cancel_on_disconnect)");
        }
    }

    /**
     * {@code action=interrupt} (default) cancels the run; {@code rollback} also takes it out of its
     * thread. {@code wait=1} answers 204 once the run settled, else 202 at once.
     */
    private void cancel(Context ctx) {
        Authenticator.Access access = auth.accessByApiKey(ctx);
        String scope = access.scope();
        String threadId = threads.get(scope, ctx.pathParam("threadId")).threadId();
        boolean rollback = rollback(ctx);
        boolean wait = flag(ctx, "wait");
        Params.text(ctx, "reason");
        ThreadRun tr = threads.run(scope, threadId, runId(ctx));
        cancel(scope, threadId, tr.run().runId(), rollback);
        if (wait) {
            ctx.status(awaitSettled(ctx, access, tr.run().runId()) ? 204 : 202);
        } else {
            ctx.status(202);
        }
    }

    private void cancel(String scope, String threadId, String runId, boolean rollback) {
        runs.cancel(scope, runId, "cancelled through the Agent Protocol (" + (rollback ? "rollback" : "interrupt") + ")");
        if (rollback && threadId != null) {
            threads.runRemove(scope, threadId, runId);
        }
        log.info("protocol cancel of run {} ({})", runId, rollback ? "rollback" : "interrupt");
    }

    /** Waits (in a wait slot) until the run settled, the server drains or the bound passes. */
    private boolean awaitSettled(Context ctx, Authenticator.Access access, String runId) {
        return held.hold(ctx, HeldRequests.Kind.WAIT, access.caller(), access.scope(), () -> {
            long deadline = System.nanoTime() + MAX_CANCEL_WAIT.toNanos();
            Run run = runs.get(access.scope(), runId);
            while (!run.status().isTerminal() && !polls.draining() && System.nanoTime() - deadline < 0) {
                run = runs.await(access.scope(), runId, Duration.ofSeconds(30));
            }
            return run.status().isTerminal();
        });
    }

    /**
     * Cancels runs by id ({@code run_ids}, of {@code thread_id} if given) or the runs of a thread
     * in a status ({@code pending}, {@code running} or {@code all}). 204.
     */
    private void cancelMany(Context ctx) {
        String scope = auth.accessByApiKey(ctx).scope();
        boolean rollback = rollback(ctx);
        CancelManyBody b = ApJson.body(ctx, CancelManyBody.class);
        String threadId = b.threadId() == null ? null : threads.get(scope, b.threadId()).threadId();
        List<String> ids = new ArrayList<>();
        if (b.runIds() != null && !b.runIds().isEmpty()) {
            if (b.status() != null) {
                throw new InvalidArgumentException("give either run_ids or status, not both");
            }
            if (b.runIds().size() > MAX_BATCH) {
                throw new InvalidArgumentException("run_ids holds at most " + MAX_BATCH + " ids");
            }
            for (String runId : b.runIds()) {
                ids.add(threads.run(scope, threadId, Params.checkedRunId(runId)).run().runId());
            }
        } else if (b.status() != null) {
            if (threadId == null) {
                throw new InvalidArgumentException("cancelling by status needs thread_id");
            }
            List<RunStatus> statuses = switch (b.status()) {
                case "pending" -> List.of(RunStatus.ACCEPTED, RunStatus.SCHEDULED);
                case "running" -> List.of(RunStatus.RUNNING, RunStatus.WAITING);
                case "all" -> IN_FLIGHT;
                default -> throw new InvalidArgumentException("status must be pending, running or all");
            };
            threads.runs(scope, threadId, statuses, MAX_BATCH, 0).forEach(tr -> ids.add(tr.run().runId()));
        } else {
            throw new InvalidArgumentException("give run_ids or status");
        }
        for (String runId : ids) {
            cancel(scope, threadId, runId, rollback);
        }
        ctx.status(204);
    }

    /** Deletes a run from its thread: cancelled if still in flight, then taken out of the thread. 204. */
    private void delete(Context ctx) {
        String scope = auth.accessByApiKey(ctx).scope();
        String threadId = threads.get(scope, ctx.pathParam("threadId")).threadId();
        ThreadRun tr = threads.run(scope, threadId, runId(ctx));
        if (!tr.run().status().isTerminal()) {
            runs.cancel(scope, tr.run().runId(), "deleted through the Agent Protocol");
        }
        threads.runRemove(scope, threadId, tr.run().runId());
        ctx.status(204);
    }

    static String runId(Context ctx) {
        return Params.checkedRunId(ctx.pathParam("runId"));
    }

    private static boolean rollback(Context ctx) {
        String action = ctx.queryParam("action");
        if (action == null || action.equals("interrupt")) {
            return false;
        }
        if (action.equals("rollback")) {
            return true;
        }
        throw new InvalidArgumentException("action must be interrupt or rollback");
    }

    /** A protocol flag: {@code 1}, {@code true}, {@code 0} or {@code false}. */
    static boolean flag(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        if (raw == null) {
            return false;
        }
        return switch (raw.strip()) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default -> throw new InvalidArgumentException(name + " must be 1, 0, true or false");
        };
    }
}

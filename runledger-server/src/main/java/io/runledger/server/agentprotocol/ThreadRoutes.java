package io.runledger.server.agentprotocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.api.AgentThread;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.NotFoundException;
import io.runledger.api.RunStatus;
import io.runledger.api.Runs;
import io.runledger.api.ThreadQuery;
import io.runledger.api.ThreadRun;
import io.runledger.api.ThreadStatus;
import io.runledger.api.Threads;
import io.runledger.server.auth.Authenticator;
import io.runledger.server.http.Params;
import io.runledger.server.http.Responses;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Threads: create, read, search, count, update metadata, delete, and their state and history,
 * where a checkpoint is a succeeded run of the thread and its values are that run's output.
 */
final class ThreadRoutes {
    private final Threads threads;
    private final Runs runs;
    private final Interrupts interrupts;
    private final Authenticator auth;

    ThreadRoutes(Threads threads, Runs runs, Interrupts interrupts, Authenticator auth) {
        this.threads = Objects.requireNonNull(threads, "threads");
        this.runs = Objects.requireNonNull(runs, "runs");
        this.interrupts = Objects.requireNonNull(interrupts, "interrupts");
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    /** {@code graph_id} is what the SDK adds for a thread created for one graph: kept in the metadata. */
    record CreateBody(String threadId, JsonNode metadata, String ifExists, JsonNode supersteps, JsonNode ttl,
                      String graphId) {
    }

    record PatchBody(JsonNode metadata, JsonNode ttl) {
    }

    record SearchBody(JsonNode metadata, List<String> ids, Integer limit, Integer offset, String status,
                      String sortBy, String sortOrder, List<String> select, JsonNode values, JsonNode extract) {
    }

    record CountBody(JsonNode metadata, JsonNode values, String status) {
    }

    record HistoryBody(Integer limit, JsonNode before, JsonNode metadata, JsonNode checkpoint, List<String> select) {
    }

    void register(RoutesConfig routes) {
        routes.post(ApPaths.THREADS, this::create);
        routes.post(ApPaths.THREADS_SEARCH, this::search);
        routes.post(ApPaths.THREADS_COUNT, this::count);
        routes.get(ApPaths.THREAD, this::get);
        routes.patch(ApPaths.THREAD, this::patch);
        routes.delete(ApPaths.THREAD, this::delete);
        routes.get(ApPaths.THREAD_STATE, this::state);
        routes.get(ApPaths.THREAD_STATE_AT, this::stateAt);
        routes.post(ApPaths.THREAD_HISTORY, this::historyPost);
        routes.get(ApPaths.THREAD_HISTORY, this::historyGet);
    }

    private void create(Context ctx) {
        String scope = auth.accessByApiKey(ctx).scope();
        CreateBody b = ApJson.body(ctx, CreateBody.class);
        ApJson.unsupported("supersteps", b.supersteps());
        ApJson.unsupported("ttl", b.ttl());
        JsonNode metadata = ApJson.optionalObject("metadata", b.metadata());
        if (b.graphId() != null) {
            ObjectNode withGraph = metadata == null ? ApJson.object() : ((ObjectNode) metadata).deepCopy();
            metadata = withGraph.put("graph_id", b.graphId());
        }
        boolean failIfExists = switch (b.ifExists() == null ? "raise" : b.ifExists()) {
            case "raise" -> true;
            case "do_nothing" -> false;
            default -> throw new InvalidArgumentException("if_exists must be raise or do_nothing");
        };
        AgentThread t = threads.create(scope, b.threadId(), metadata, failIfExists).thread();
        Responses.json(ctx, 200, view(scope, t));
    }

    private void search(Context ctx) {
        String scope = auth.accessByApiKey(ctx).scope();
        SearchBody b = ApJson.body(ctx, SearchBody.class);
        ApJson.unsupported("values", b.values());
        ApJson.unsupported("extract", b.extract());
        int limit = Paging.limit(b.limit());
        int offset = Paging.offset(b.offset());
        ThreadQuery query = new ThreadQuery(ApJson.optionalObject("metadata", b.metadata()), b.ids(),
                b.status() == null ? null : ThreadStatus.fromWire(b.status()),
                b.sortBy() == null ? ThreadQuery.Sort.CREATED_AT : ThreadQuery.Sort.fromWire(b.sortBy()),
                Paging.ascending(b.sortOrder(), false), limit, offset);
        List<ObjectNode> items = threads.search(scope, query).stream().map(t -> view(scope, t)).toList();
        if (items.size() == limit) {
            ctx.header(Paging.NEXT, Integer.toString(offset + limit));
        }
        Responses.json(ctx, 200, ApViews.select(items, b.select()));
    }

    private void count(Context ctx) {
        String scope = auth.accessByApiKey(ctx).scope();
        CountBody b = ApJson.body(ctx, CountBody.class);
        ApJson.unsupported("values", b.values());
        ThreadQuery query = new ThreadQuery(ApJson.optionalObject("metadata", b.metadata()), null,
                b.status() == null ? null : ThreadStatus.fromWire(b.status()), ThreadQuery.Sort.CREATED_AT, false, 1,
                0);
        Responses.json(ctx, 200, ApJson.object().numberNode(threads.count(scope, query)));
    }

    private void get(Context ctx) {
        String scope = auth.accessByApiKey(ctx).scope();
        Responses.json(ctx, 200, view(scope, threads.get(scope, ctx.pathParam("threadId"))));
    }

    private void patch(Context ctx) {
        String scope = auth.accessByApiKey(ctx).scope();
        PatchBody b = ApJson.body(ctx, PatchBody.class);
        ApJson.unsupported("ttl", b.ttl());
        AgentThread t = threads.update(scope, ctx.pathParam("threadId"), ApJson.optionalObject("metadata", b.metadata()));
        Responses.json(ctx, 200, view(scope, t));
    }

    /**
     * Deletes the thread after cancelling its runs in flight. Its runs stay in the ledger, in no
     * thread, until their service's retention deletes them.
     */
    private void delete(Context ctx) {
        String scope = auth.accessByApiKey(ctx).scope();
        String threadId = ctx.pathParam("threadId");
        for (ThreadRun tr : threads.runs(scope, threadId, ApRunRoutes.IN_FLIGHT, 1000, 0)) {
            runs.cancel(scope, tr.run().runId(), "its thread was deleted");
        }
        threads.delete(scope, threadId);
        ctx.status(204);
    }

    private void state(Context ctx) {
        String scope = auth.accessByApiKey(ctx).scope();
        AgentThread t = threads.get(scope, ctx.pathParam("threadId"));
        Responses.json(ctx, 200, currentState(scope, t));
    }

    /** The state as of a checkpoint: a succeeded run of the thread, its output as the values. */
    private void stateAt(Context ctx) {
        String scope = auth.accessByApiKey(ctx).scope();
        AgentThread t = threads.get(scope, ctx.pathParam("threadId"));
        String runId = ctx.pathParam("checkpointId");
        ThreadRun tr = checkpoint(scope, t.threadId(), runId);
        Responses.json(ctx, 200, ApViews.state(t.threadId(), tr.run().output(), runId, Interrupts.Pending.NONE, null,
                tr.run().finishedAt()));
    }

    private ThreadRun checkpoint(String scope, String threadId, String runId) {
        if (runId == null || runId.length() > 128) {
            throw NotFoundException.run(runId);
        }
        ThreadRun tr = threads.run(scope, threadId, runId);
        if (tr.run().status() != RunStatus.SUCCEEDED) {
            throw NotFoundException.of("checkpoint_not_found", "run '" + runId + "' of thread '" + threadId
                    + "' did not succeed: it is no checkpoint");
        }
        return tr;
    }

    private ObjectNode currentState(String scope, AgentThread t) {
        Interrupts.Pending pending = Interrupts.Pending.NONE;
        if (t.status() == ThreadStatus.INTERRUPTED && t.activeRunId() != null) {
            pending = interrupts.current(scope, threads.run(scope, null, t.activeRunId()));
        }
        return ApViews.state(t.threadId(), t.values(), t.valuesRunId(), pending, t.activeRunId(), t.updatedAt());
    }

    private void historyPost(Context ctx) {
        String scope = auth.accessByApiKey(ctx).scope();
        HistoryBody b = ApJson.body(ctx, HistoryBody.class);
        ApJson.unsupported("checkpoint", b.checkpoint());
        ApJson.unsupported("metadata", b.metadata());
        String before = null;
        if (!ApJson.absent(b.before())) {
            before = b.before().isTextual() ? b.before().asText() : b.before().path("checkpoint_id").asText(null);
            if (before == null) {
                throw new InvalidArgumentException("before must be a checkpoint (with checkpoint_id) or its id");
            }
        }
        Responses.json(ctx, 200, ApViews.select(history(scope, ctx.pathParam("threadId"), Paging.limit(b.limit()),
                before), b.select()));
    }

    private void historyGet(Context ctx) {
        String scope = auth.accessByApiKey(ctx).scope();
        int limit = (int) Params.longParam(ctx, "limit", Paging.DEFAULT_LIMIT, 1, Paging.MAX_LIMIT);
        Responses.json(ctx, 200, ApViews.select(history(scope, ctx.pathParam("threadId"), limit,
                Params.text(ctx, "before")), null));
    }

    /**
     * The thread's states, newest first: the current one while it is interrupted, then one per
     * succeeded run (its output), from before the checkpoint {@code before} if given.
     */
    private List<ObjectNode> history(String scope, String threadId, int limit, String before) {
        AgentThread t = threads.get(scope, threadId);
        List<ObjectNode> states = new ArrayList<>();
        boolean past = before == null;
        if (past && t.status() == ThreadStatus.INTERRUPTED) {
            states.add(currentState(scope, t));
        }
        int offset = 0;
        while (states.size() < limit && offset <= Paging.MAX_OFFSET) {
            List<ThreadRun> page = threads.runs(scope, t.threadId(), List.of(RunStatus.SUCCEEDED), 200, offset);
            for (ThreadRun tr : page) {
                if (past && states.size() < limit) {
                    states.add(ApViews.state(t.threadId(), tr.run().output(), tr.run().runId(),
                            Interrupts.Pending.NONE, null, tr.run().finishedAt()));
                }
                past |= tr.run().runId().equals(before);
            }
            if (page.size() < 200) {
                break;
            }
            offset += 200;
        }
        return states;
    }

    private ObjectNode view(String scope, AgentThread t) {
        Interrupts.Pending pending = Interrupts.Pending.NONE;
        if (t.status() == ThreadStatus.INTERRUPTED && t.activeRunId() != null) {
            pending = interrupts.current(scope, threads.run(scope, null, t.activeRunId()));
        }
        return ApViews.thread(t, pending);
    }
}

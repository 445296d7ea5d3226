package io.runledger.server.workers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.api.Completion;
import io.runledger.api.Failure;
import io.runledger.api.Heartbeat;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.ItemOutcome;
import io.runledger.api.Lease;
import io.runledger.api.LeaseRef;
import io.runledger.api.LeaseRequest;
import io.runledger.api.Run;
import io.runledger.api.RunLedgerException;
import io.runledger.api.Settlement;
import io.runledger.api.Timestamps;
import io.runledger.api.Workers;
import io.runledger.server.auth.Authenticator;
import io.runledger.server.http.HeldRequests;
import io.runledger.server.http.JsonBodies;
import io.runledger.server.http.Params;
import io.runledger.server.http.Problems;
import io.runledger.server.http.Paths;
import io.runledger.server.http.Responses;
import io.runledger.server.http.ServerJson;
import io.runledger.server.http.Views;
import io.runledger.server.workers.WorkerBodies.AppendBody;
import io.runledger.server.workers.WorkerBodies.CompleteBody;
import io.runledger.server.workers.WorkerBodies.CompleteItems;
import io.runledger.server.workers.WorkerBodies.FailBody;
import io.runledger.server.workers.WorkerBodies.FailItems;
import io.runledger.server.workers.WorkerBodies.LeaseBody;
import io.runledger.server.workers.WorkerBodies.LeaseItems;
import io.runledger.server.workers.WorkerBodies.TokenBody;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The worker's side: lease (long-poll), heartbeat, append events, complete, fail; and the batched calls. */
public final class WorkerRoutes {
    private static final Logger log = LoggerFactory.getLogger(WorkerRoutes.class);

    private final Workers workers;
    private final Authenticator auth;
    private final HeldRequests held;

    /** {@code workers} of the server's session: its lease polls end when the server drains. */
    public WorkerRoutes(Workers workers, Authenticator auth, HeldRequests held) {
        this.workers = Objects.requireNonNull(workers, "workers");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.held = Objects.requireNonNull(held, "held");
    }

    public void register(RoutesConfig routes) {
        routes.post(Paths.WORKERS_LEASE, this::lease);
        routes.get(Paths.WORKERS, this::list);
        routes.post(Paths.RUN_HEARTBEAT, this::heartbeat);
        routes.post(Paths.RUN_EVENTS, this::append);
        routes.post(Paths.RUN_COMPLETE, this::complete);
        routes.post(Paths.RUN_FAIL, this::fail);
        routes.post(Paths.RUNS_COMPLETE, this::completeAll);
        routes.post(Paths.RUNS_FAIL, this::failAll);
        routes.post(Paths.WORKERS_HEARTBEAT, this::heartbeatAll);
    }

    private void lease(Context ctx) {
        Authenticator.Access access = auth.access(ctx);
        String scope = access.scope();
        LeaseBody b = JsonBodies.object(ctx, LeaseBody.class);
        long waitSeconds = b.waitSeconds() == null ? 0 : b.waitSeconds();
        if (waitSeconds < 0 || waitSeconds > LeaseRequest.MAX_WAIT.toSeconds()) {
            throw new InvalidArgumentException("waitSeconds must be between 0 and " + LeaseRequest.MAX_WAIT.toSeconds());
        }
        if (b.services() != null && b.services().contains(null)) {
            throw new InvalidArgumentException("services must be service names");
        }
        int max = b.max() == null ? 1 : b.max();
        LeaseRequest request = new LeaseRequest(b.workerId(), b.services(), max, Duration.ofSeconds(waitSeconds),
                b.version(), b.capabilities());
        List<Lease> leases;
        if (waitSeconds == 0) {
            leases = workers.lease(scope, request); // answers at once: not a held request
        } else {
            // Woken by NOTIFY; the server's drain ends the wait at once.
            leases = held.hold(ctx, HeldRequests.Kind.LEASE_POLL, access.caller(), scope,
                    () -> workers.lease(scope, request));
        }
        leases.forEach(l -> log.debug("run {} leased by {} (attempt {})", l.runId(), b.workerId(), l.attempt()));
        ObjectNode body = ServerJson.MAPPER.createObjectNode();
        body.set("leases", Views.array(leases.stream().map(Views::lease).toList()));
        Responses.json(ctx, 200, body);
    }

    private void list(Context ctx) {
        String scope = auth.scope(ctx);
        var items = workers.list(scope).stream().map(Views::worker).toList();
        Responses.json(ctx, 200, ServerJson.MAPPER.createObjectNode().set("items", Views.array(items)));
    }

    private void heartbeat(Context ctx) {
        String scope = auth.scope(ctx);
        String runId = Params.runId(ctx);
        TokenBody b = JsonBodies.object(ctx, TokenBody.class);
        Heartbeat hb = workers.heartbeat(scope, runId, b.leaseToken());
        ObjectNode body = ServerJson.MAPPER.createObjectNode();
        Responses.json(ctx, 200, heartbeatView(hb, body));
    }

    private static ObjectNode heartbeatView(Heartbeat hb, ObjectNode body) {
        body.put("leaseExpiresAt", Timestamps.format(hb.leaseExpiresAt()));
        body.put("stopRequested", hb.stopRequested());
        body.set("messages", Views.array(hb.messages().stream().map(Views::message).toList()));
        return body;
    }

    private void append(Context ctx) {
        String scope = auth.scope(ctx);
        String runId = Params.runId(ctx);
        AppendBody b = JsonBodies.object(ctx, AppendBody.class);
        List<Long> seqs = workers.append(scope, runId, b.leaseToken(), b.drafts());
        ObjectNode body = ServerJson.MAPPER.createObjectNode();
        ArrayNode array = body.putArray("seqs");
        seqs.forEach(array::add);
        Responses.json(ctx, 200, body);
    }

    private void complete(Context ctx) {
        String scope = auth.scope(ctx);
        String runId = Params.runId(ctx);
        CompleteBody b = JsonBodies.object(ctx, CompleteBody.class);
        Run run = workers.complete(scope, runId, b.leaseToken(), b.output());
        log.debug("run {} completed: {}", runId, run.status().wireName());
        Responses.json(ctx, 200, Views.run(run));
    }

    private void fail(Context ctx) {
        String scope = auth.scope(ctx);
        String runId = Params.runId(ctx);
        FailBody b = JsonBodies.object(ctx, FailBody.class);
        if (b.error() == null) {
            throw new InvalidArgumentException("error is required");
        }
        Run run = workers.fail(scope, runId, b.leaseToken(), b.error().toError(),
                b.retryable() != null && b.retryable(), b.retryAfterSeconds());
        log.debug("run {} failed attempt: now {}", runId, run.status().wireName());
        Responses.json(ctx, 200, Views.run(run));
    }

    private void completeAll(Context ctx) {
        String scope = auth.scope(ctx);
        List<Completion> items = JsonBodies.object(ctx, CompleteItems.class).completions();
        var outcomes = workers.completeAll(scope, items);
        log.debug("{} runs completed in one call", items.size());
        Responses.json(ctx, 200, answers(ctx, items.stream().map(Completion::runId).toList(), outcomes,
                WorkerRoutes::settlement));
    }

    private void failAll(Context ctx) {
        String scope = auth.scope(ctx);
        List<Failure> items = JsonBodies.object(ctx, FailItems.class).failures();
        var outcomes = workers.failAll(scope, items);
        log.debug("{} attempts failed in one call", items.size());
        Responses.json(ctx, 200, answers(ctx, items.stream().map(Failure::runId).toList(), outcomes,
                WorkerRoutes::settlement));
    }

    private void heartbeatAll(Context ctx) {
        String scope = auth.scope(ctx);
        List<LeaseRef> items = JsonBodies.object(ctx, LeaseItems.class).leases();
        var outcomes = workers.heartbeatAll(scope, items);
        Responses.json(ctx, 200, answers(ctx, items.stream().map(LeaseRef::runId).toList(), outcomes,
                (hb, item) -> heartbeatView(hb, item)));
    }

    private static void settlement(Settlement s, ObjectNode item) {
        item.put("status", s.status().wireName());
        item.put("attempt", s.attempt());
    }

    /**
     * {@code {items:[...]}} in item order: each names its run and holds either its answer
     * or, under {@code error}, the problem document the single call would have answered.
     */
    private static <T> ObjectNode answers(Context ctx, List<String> runIds, List<ItemOutcome<T>> outcomes,
                                          BiConsumer<T, ObjectNode> view) {
        ObjectNode body = ServerJson.MAPPER.createObjectNode();
        ArrayNode array = body.putArray("items");
        for (int i = 0; i < outcomes.size(); i++) {
            ItemOutcome<T> outcome = outcomes.get(i);
            ObjectNode item = array.addObject();
            item.put("runId", runIds.get(i));
            if (outcome.isOk()) {
                view.accept(outcome.value(), item);
            } else {
                RunLedgerException e = outcome.error();
                item.set("error", Problems.document(Problems.status(e), e.code(), e.getMessage(), ctx.path(),
                        e.details()));
            }
        }
        return body;
    }
}

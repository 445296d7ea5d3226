package io.runledger.server.workers;

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
import io.runledger.api.Workers;
import io.runledger.server.auth.Authenticator;
import io.runledger.server.http.HeldRequests;
import io.runledger.server.http.JsonBodies;
import io.runledger.server.http.Params;
import io.runledger.server.http.Problems;
import io.runledger.server.http.Paths;
import io.runledger.server.http.Responses;
import io.runledger.server.http.Views;
import io.runledger.server.wire.AppendedView;
import io.runledger.server.wire.HeartbeatItemView;
import io.runledger.server.wire.HeartbeatView;
import io.runledger.server.wire.LeasesView;
import io.runledger.server.wire.ListView;
import io.runledger.server.wire.ProblemView;
import io.runledger.server.wire.SettlementItemView;
import io.runledger.server.workers.WorkerBodies.AppendBody;
import io.runledger.server.workers.WorkerBodies.CompleteBody;
import io.runledger.server.workers.WorkerBodies.CompleteItems;
import io.runledger.server.workers.WorkerBodies.FailBody;
import io.runledger.server.workers.WorkerBodies.FailItems;
import io.runledger.server.workers.WorkerBodies.LeaseBody;
import io.runledger.server.workers.WorkerBodies.LeaseItems;
import io.runledger.server.workers.WorkerBodies.TokenBody;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
        Responses.json(ctx, 200, new LeasesView(leases.stream().map(Views::lease).toList()));
    }

    private void list(Context ctx) {
        String scope = auth.scope(ctx);
        Responses.json(ctx, 200, new ListView<>(workers.list(scope).stream().map(Views::worker).toList()));
    }

    private void heartbeat(Context ctx) {
        String scope = auth.scope(ctx);
        String runId = Params.runId(ctx);
        TokenBody b = JsonBodies.object(ctx, TokenBody.class);
        Heartbeat hb = workers.heartbeat(scope, runId, b.leaseToken());
        Responses.json(ctx, 200, Views.heartbeat(hb));
    }

    private void append(Context ctx) {
        String scope = auth.scope(ctx);
        String runId = Params.runId(ctx);
        AppendBody b = JsonBodies.object(ctx, AppendBody.class);
        List<Long> seqs = workers.append(scope, runId, b.leaseToken(), b.drafts());
        Responses.json(ctx, 200, new AppendedView(seqs));
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
        Responses.json(ctx, 200, settlements(ctx, items.stream().map(Completion::runId).toList(), outcomes));
    }

    private void failAll(Context ctx) {
        String scope = auth.scope(ctx);
        List<Failure> items = JsonBodies.object(ctx, FailItems.class).failures();
        var outcomes = workers.failAll(scope, items);
        log.debug("{} attempts failed in one call", items.size());
        Responses.json(ctx, 200, settlements(ctx, items.stream().map(Failure::runId).toList(), outcomes));
    }

    private void heartbeatAll(Context ctx) {
        String scope = auth.scope(ctx);
        List<LeaseRef> items = JsonBodies.object(ctx, LeaseItems.class).leases();
        var outcomes = workers.heartbeatAll(scope, items);
        List<String> runIds = items.stream().map(LeaseRef::runId).toList();
        List<HeartbeatItemView> answers = new ArrayList<>(outcomes.size());
        for (int i = 0; i < outcomes.size(); i++) {
            ItemOutcome<Heartbeat> outcome = outcomes.get(i);
            if (outcome.isOk()) {
                HeartbeatView hb = Views.heartbeat(outcome.value());
                answers.add(new HeartbeatItemView(runIds.get(i), hb.leaseExpiresAt(), hb.stopRequested(),
                        hb.messages(), null));
            } else {
                answers.add(new HeartbeatItemView(runIds.get(i), null, null, null, problem(ctx, outcome.error())));
            }
        }
        Responses.json(ctx, 200, new ListView<>(answers));
    }

    /**
     * {@code {items:[...]}} in item order: each names its run and holds either its outcome
     * or, under {@code error}, the problem document the single call would have answered.
     */
    private static ListView<SettlementItemView> settlements(Context ctx, List<String> runIds,
                                                            List<ItemOutcome<Settlement>> outcomes) {
        List<SettlementItemView> answers = new ArrayList<>(outcomes.size());
        for (int i = 0; i < outcomes.size(); i++) {
            ItemOutcome<Settlement> outcome = outcomes.get(i);
            if (outcome.isOk()) {
                Settlement s = outcome.value();
                answers.add(new SettlementItemView(runIds.get(i), s.status(), s.attempt(), null));
            } else {
                answers.add(new SettlementItemView(runIds.get(i), null, null, problem(ctx, outcome.error())));
            }
        }
        return new ListView<>(answers);
    }

    private static ProblemView problem(Context ctx, RunLedgerException e) {
        return Problems.document(Problems.status(e), e.code(), e.getMessage(), ctx.path(), e.details());
    }
}

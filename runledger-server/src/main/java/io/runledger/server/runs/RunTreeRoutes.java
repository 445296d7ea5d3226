package io.runledger.server.runs;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.Receipt;
import io.runledger.api.Runs;
import io.runledger.api.Workers;
import io.runledger.server.auth.Authenticator;
import io.runledger.server.http.JsonBodies;
import io.runledger.server.http.Params;
import io.runledger.server.http.Paths;
import io.runledger.server.http.Responses;
import io.runledger.server.http.ServerJson;
import io.runledger.server.http.Views;
import io.runledger.server.wire.Required;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs made from runs: {@code POST .../runs/{runId}/children} (the lease holder triggers a child,
 * once per step) and {@code POST .../runs/{runId}/replay} (a new run of the same service).
 */
public final class RunTreeRoutes {
    private static final Logger log = LoggerFactory.getLogger(RunTreeRoutes.class);
    /** The fields of a child's body besides the trigger's. */
    private static final String LEASE_TOKEN = "leaseToken";
    private static final String STEP = "step";
    private static final String SERVICE = "service";

    private final Runs runs;
    private final Workers workers;
    private final Authenticator auth;

    /** What fences a child's trigger and names it; the rest of the body is a trigger body. */
    public record ChildFence(
            @Required String leaseToken,
            @Required @JsonPropertyDescription("the parent's step: the child is triggered once per (run, step)")
            String step,
            @Required @JsonPropertyDescription("the child's service") String service) {
    }

    public record ReplayBody(
            @JsonPropertyDescription("the new run's input (default: the original's)") JsonNode input,
            @JsonPropertyDescription("the new run's metadata") JsonNode metadata) {
    }

    public RunTreeRoutes(Runs runs, Workers workers, Authenticator auth) {
        this.runs = Objects.requireNonNull(runs, "runs");
        this.workers = Objects.requireNonNull(workers, "workers");
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    public void register(RoutesConfig routes) {
        routes.post(Paths.RUN_CHILDREN, this::child);
        routes.post(Paths.RUN_REPLAY, this::replay);
    }

    private void child(Context ctx) {
        String scope = auth.scope(ctx);
        String runId = Params.runId(ctx);
        ObjectNode trigger = (ObjectNode) JsonBodies.object(ctx); // a tree of its own: taken apart here
        ObjectNode fence = ServerJson.MAPPER.createObjectNode();
        for (String field : new String[] {LEASE_TOKEN, STEP, SERVICE}) {
            JsonNode value = trigger.remove(field);
            if (value != null) {
                fence.set(field, value);
            }
        }
        ChildFence f = JsonBodies.bind(fence, ChildFence.class);
        TriggerBody body = JsonBodies.bind(trigger, TriggerBody.class);
        if (!trigger.has(TriggerBody.INPUT)) {
            throw new InvalidArgumentException("input is required (it may be null)");
        }
        if (f.service() == null) {
            throw new InvalidArgumentException("service is required");
        }
        Receipt receipt = workers.triggerChild(scope, runId, f.leaseToken(), f.step(), f.service(),
                body.toRequest(ctx.header(Triggers.IDEMPOTENCY_KEY)));
        if (!receipt.replayed()) {
            log.debug("run {} triggered child {} at step {}", runId, receipt.runId(), f.step());
        }
        RunRoutes.receiptAnswer(ctx, scope, receipt);
    }

    private void replay(Context ctx) {
        String scope = auth.scope(ctx);
        String runId = Params.runId(ctx);
        ReplayBody b = JsonBodies.optionalObject(ctx, ReplayBody.class);
        Receipt receipt = runs.replay(scope, runId, b.input(), b.metadata());
        log.info("run {} replayed as {}", runId, receipt.runId());
        RunRoutes.receiptAnswer(ctx, scope, receipt);
    }
}

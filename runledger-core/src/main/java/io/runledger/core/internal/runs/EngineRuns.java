package io.runledger.core.internal.runs;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.StepRecord;
import io.runledger.core.internal.steps.StepOps;
import io.runledger.api.CancelResult;
import io.runledger.api.EventFeed;
import io.runledger.api.EventPage;
import io.runledger.api.KeyCancelResult;
import io.runledger.api.Page;
import io.runledger.api.RebuildResult;
import io.runledger.api.Receipt;
import io.runledger.api.Run;
import io.runledger.api.RunAccessToken;
import io.runledger.api.RunFilter;
import io.runledger.api.Runs;
import io.runledger.api.TriggerRequest;
import io.runledger.api.ValidationReport;
import io.runledger.core.internal.notify.WaitGroup;
import java.time.Duration;

/** {@link Runs} over the engine's operations, its long waits in one {@link WaitGroup}. */
public final class EngineRuns implements Runs {
    /** Events per page of a feed: what one SSE flush carries at most. */
    static final int FOLLOW_PAGE = 200;

    private final TriggerOps triggers;
    private final RunReads reads;
    private final CancelOps cancels;
    private final Projection projection;
    private final RunTrees trees;
    private final StepOps steps;
    private final WaitGroup waits;
    private final KeyStops keyStops;
    private final RunAccessOps access;

    public EngineRuns(TriggerOps triggers, RunReads reads, CancelOps cancels, KeyStops keyStops,
                      Projection projection, RunTrees trees, StepOps steps, RunAccessOps access, WaitGroup waits) {
        this.keyStops = keyStops;
        this.access = access;
        this.triggers = triggers;
        this.reads = reads;
        this.cancels = cancels;
        this.projection = projection;
        this.trees = trees;
        this.steps = steps;
        this.waits = waits;
    }

    @Override
    public Receipt trigger(String scope, String service, TriggerRequest request) {
        return triggers.trigger(scope, service, request);
    }

    @Override
    public ValidationReport validate(String scope, String service, TriggerRequest request) {
        return triggers.preflight(scope, service, request);
    }

    @Override
    public EventFeed triggerAndFollow(String scope, String service, TriggerRequest request) {
        Receipt receipt = triggers.trigger(scope, service, request);
        return follow(scope, receipt.runId(), 0);
    }

    @Override
    public Run get(String scope, String runId) {
        return reads.get(scope, runId);
    }

    @Override
    public Page<Run> list(String scope, RunFilter filter) {
        return reads.list(scope, filter);
    }

    @Override
    public EventPage events(String scope, String runId, long after, int limit) {
        return reads.events(scope, runId, after, limit);
    }

    @Override
    public EventFeed follow(String scope, String runId, long after) {
        return reads.follow(scope, runId, after, FOLLOW_PAGE, waits);
    }

    @Override
    public Run await(String scope, String runId, Duration timeout) {
        return reads.await(scope, runId, timeout, waits);
    }

    @Override
    public CancelResult cancel(String scope, String runId, String reason, boolean cascade) {
        return cancels.cancel(scope, runId, reason, cascade);
    }

    @Override
    public KeyCancelResult cancelByKey(String scope, String service, String idempotencyKey, String reason) {
        return keyStops.cancelByKey(scope, service, idempotencyKey, reason);
    }

    @Override
    public Receipt replay(String scope, String runId, JsonNode input, JsonNode metadata) {
        return trees.replay(scope, runId, input, metadata);
    }

    @Override
    public Page<StepRecord> steps(String scope, String runId, long after, int limit) {
        return steps.list(scope, runId, after, limit);
    }

    @Override
    public RebuildResult rebuildProjection(String scope, String runId) {
        return projection.rebuild(scope, runId);
    }

    /** Issued by the application itself: no key stands behind the token, so it lives until it expires. */
    @Override
    public RunAccessToken issueAccessToken(String scope, String runId, Duration ttl) {
        return access.issue(scope, runId, ttl, null, null);
    }
}

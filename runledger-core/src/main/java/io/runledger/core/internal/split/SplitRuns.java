package io.runledger.core.internal.split;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.CancelResult;
import io.runledger.api.EventFeed;
import io.runledger.api.EventPage;
import io.runledger.api.KeyCancelResult;
import io.runledger.api.Ledger;
import io.runledger.api.Page;
import io.runledger.api.RebuildResult;
import io.runledger.api.Receipt;
import io.runledger.api.Run;
import io.runledger.api.RunAccessToken;
import io.runledger.api.RunFilter;
import io.runledger.api.Runs;
import io.runledger.api.StepRecord;
import io.runledger.api.TriggerRequest;
import io.runledger.api.ValidationReport;
import java.time.Duration;

/**
 * Runs over both stores: a new run is created on the runs database unless its idempotency
 * key or concurrency key is already in use on the main one; a run is read and changed where
 * its id says it lives; lists page over both.
 */
final class SplitRuns implements Runs {
    private final Stores stores;
    private final MainProbe probe;

    SplitRuns(Stores stores, MainProbe probe) {
        this.stores = stores;
        this.probe = probe;
    }

    /** Where a new run of this request is created. */
    Ledger home(String scope, String service, TriggerRequest request) {
        if (request.idempotencyKey() != null && probe.idempotencyKey(scope, service, request.idempotencyKey())) {
            return stores.main();
        }
        if (request.concurrencyKey() != null && probe.concurrencyKey(scope, request.concurrencyKey())) {
            return stores.main();
        }
        return stores.runs();
    }

    @Override
    public Receipt trigger(String scope, String service, TriggerRequest request) {
        return home(scope, service, request).runs().trigger(scope, service, request);
    }

    @Override
    public ValidationReport validate(String scope, String service, TriggerRequest request) {
        return stores.runs().runs().validate(scope, service, request);
    }

    @Override
    public EventFeed triggerAndFollow(String scope, String service, TriggerRequest request) {
        return home(scope, service, request).runs().triggerAndFollow(scope, service, request);
    }

    @Override
    public Run get(String scope, String runId) {
        return stores.of(runId).runs().get(scope, runId);
    }

    @Override
    public Page<Run> list(String scope, RunFilter filter) {
        if (filter.parentRunId() != null) {
            return stores.of(filter.parentRunId()).runs().list(scope, filter); // children live with their parent
        }
        return Pages.merge(stores.runs().runs().list(scope, filter), stores.main().runs().list(scope, filter),
                filter.limit(), Run::createdAt, Run::runId);
    }

    @Override
    public EventPage events(String scope, String runId, long after, int limit) {
        return stores.of(runId).runs().events(scope, runId, after, limit);
    }

    @Override
    public EventFeed follow(String scope, String runId, long after) {
        return stores.of(runId).runs().follow(scope, runId, after);
    }

    @Override
    public Run await(String scope, String runId, Duration timeout) {
        return stores.of(runId).runs().await(scope, runId, timeout);
    }

    @Override
    public CancelResult cancel(String scope, String runId, String reason, boolean cascade) {
        return stores.of(runId).runs().cancel(scope, runId, reason, cascade);
    }

    @Override
    public KeyCancelResult cancelByKey(String scope, String service, String idempotencyKey, String reason) {
        // a stop recorded before the run exists is kept on the key's row, like the run it stops
        Ledger home = probe.idempotencyKey(scope, service, idempotencyKey) ? stores.main() : stores.runs();
        return home.runs().cancelByKey(scope, service, idempotencyKey, reason);
    }

    @Override
    public Receipt replay(String scope, String runId, JsonNode input, JsonNode metadata) {
        return stores.of(runId).runs().replay(scope, runId, input, metadata);
    }

    @Override
    public Page<StepRecord> steps(String scope, String runId, long after, int limit) {
        return stores.of(runId).runs().steps(scope, runId, after, limit);
    }

    @Override
    public RebuildResult rebuildProjection(String scope, String runId) {
        return stores.of(runId).runs().rebuildProjection(scope, runId);
    }

    @Override
    public RunAccessToken issueAccessToken(String scope, String runId, Duration ttl) {
        return stores.of(runId).runs().issueAccessToken(scope, runId, ttl);
    }
}

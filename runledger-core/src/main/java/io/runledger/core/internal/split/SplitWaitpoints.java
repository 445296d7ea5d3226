package io.runledger.core.internal.split;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.NewWaitpoint;
import io.runledger.api.Page;
import io.runledger.api.Waitpoint;
import io.runledger.api.WaitpointCreate;
import io.runledger.api.WaitpointFilter;
import io.runledger.api.Waitpoints;

/**
 * Waitpoints live with the run that owns them; one created without a run lives on the runs
 * database. A callback secret names no store, so both are asked, the runs database first.
 */
record SplitWaitpoints(Stores stores) implements Waitpoints {
    @Override
    public NewWaitpoint create(String scope, WaitpointCreate request) {
        return (request.runId() != null ? stores.of(request.runId()) : stores.runs()).waitpoints()
                .create(scope, request);
    }

    @Override
    public Waitpoint complete(String scope, String waitpointId, JsonNode data) {
        return stores.of(waitpointId).waitpoints().complete(scope, waitpointId, data);
    }

    @Override
    public Waitpoint completeByCallback(String secret, JsonNode data) {
        return stores.either(s -> s.waitpoints().completeByCallback(secret, data));
    }

    @Override
    public Waitpoint get(String scope, String waitpointId) {
        return stores.of(waitpointId).waitpoints().get(scope, waitpointId);
    }

    @Override
    public Page<Waitpoint> list(String scope, WaitpointFilter filter) {
        if (filter.runId() != null) {
            return stores.of(filter.runId()).waitpoints().list(scope, filter);
        }
        return Pages.merge(stores.runs().waitpoints().list(scope, filter),
                stores.main().waitpoints().list(scope, filter), filter.limit(), Waitpoint::createdAt,
                Waitpoint::waitpointId);
    }
}

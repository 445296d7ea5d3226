package io.runledger.core.internal.runs;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidNameException;
import io.runledger.api.NotFoundException;
import io.runledger.api.Receipt;
import io.runledger.api.Run;
import io.runledger.api.TriggerRequest;
import io.runledger.core.internal.kernel.Limits;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.kernel.Fencing;
import io.runledger.core.internal.steps.StepOps;
import io.runledger.core.internal.store.RunStore;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Runs made from runs: a child triggered by its parent's lease holder, once per parent and
 * step, and a replay of any run as a new run.
 */
public final class RunTrees {
    private final Tx tx;
    private final RunStore runs;
    private final TriggerOps triggers;

    public RunTrees(Tx tx, RunStore runs, TriggerOps triggers) {
        this.tx = tx;
        this.runs = runs;
        this.triggers = triggers;
    }

    /**
     * Triggers a child with idempotency key {@code {parent}/{step}}. The parent's existing child
     * of that key is answered first, from the run rows themselves, so a parent executed again
     * after the idempotency key's TTL still never triggers it twice.
     */
    public Receipt triggerChild(String scope, String parentRunId, String leaseToken, String step, String service,
                                TriggerRequest request) {
        InvalidNameException.requireValid("scope", scope);
        InvalidNameException.requireValid("service", service);
        Fencing.requireToken(leaseToken);
        StepOps.requireStep(step);
        if (request.parentRunId() != null && !request.parentRunId().equals(parentRunId)) {
            throw new InvalidArgumentException("a child's parentRunId is the run it is triggered from");
        }
        if (request.idempotencyKey() != null) {
            throw new InvalidArgumentException("a child's idempotency key is {runId}/{step}; do not give one");
        }
        String key = parentRunId + "/" + step;
        TriggerRequest child = request.withParent(parentRunId).withIdempotencyKey(key);
        TriggerOps.validate(child);
        return tx.run((h, changes) -> {
            Fencing.lockHeld(h, runs, scope, parentRunId, leaseToken);
            Optional<Run> existing = runs.childByCommand(h, scope, parentRunId, key);
            if (existing.isPresent()) {
                return TriggerOps.receipt(existing.get(), true);
            }
            return triggers.register(h, changes, scope, service, child, triggers.ids().run(), null);
        });
    }

    /**
     * A new run of the original's service with its input (or {@code input}), tags, metadata (or
     * {@code metadata}), correlation id, concurrency key and attempts, recording {@code replayOf}.
     */
    public Receipt replay(String scope, String runId, JsonNode input, JsonNode metadata) {
        InvalidNameException.requireValid("scope", scope);
        Limits.requireSize("input", input, Limits.MAX_INPUT_BYTES);
        Limits.requireSize("metadata", metadata, Limits.MAX_METADATA_BYTES);
        return tx.run((h, changes) -> replay(h, changes, scope, runId, input, metadata));
    }

    /** {@link #replay} in the caller's transaction (a bulk replay's page). */
    public Receipt replay(Handle h, Tx.Changes changes, String scope, String runId, JsonNode input,
                          JsonNode metadata) {
        Run original = runs.runGet(h, scope, runId).orElseThrow(() -> NotFoundException.run(runId)).run();
        TriggerRequest again = new TriggerRequest(input != null && !input.isNull() ? input : original.input(),
                null, original.concurrencyKey(), null, original.correlationId(), null, original.tags(),
                metadata != null && !metadata.isNull() ? metadata : original.metadata(), null, null, null,
                original.maxAttempts(), null, original.priority()); // a replay keeps its place
        TriggerOps.validate(again);
        return triggers.register(h, changes, scope, original.service(), again, triggers.ids().run(), null, runId);
    }
}

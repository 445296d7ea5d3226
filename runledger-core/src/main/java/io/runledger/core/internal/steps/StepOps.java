package io.runledger.core.internal.steps;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidNameException;
import io.runledger.api.Lease;
import io.runledger.api.NotFoundException;
import io.runledger.api.Page;
import io.runledger.api.StepRecord;
import io.runledger.core.internal.kernel.Limits;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.kernel.Fencing;
import io.runledger.core.internal.store.Json;
import io.runledger.core.internal.store.RunStore;
import io.runledger.core.internal.store.StepStore;
import io.runledger.core.internal.store.StoredRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Records and reads durable steps. A record is fenced by the lease (only the run's current
 * attempt records) and happens once: the run is locked first, so of two concurrent records of
 * one step the second finds the first and answers its output, {@code replayed}.
 */
public final class StepOps {
    /** What one lease answer carries of a run's step outputs at most; the rest are paged. */
    public static final long LEASE_STEP_BUDGET = 4L * 1024 * 1024;
    public static final int MAX_PAGE = 200;

    private final Tx tx;
    private final RunStore runs;
    private final StepStore steps;

    public StepOps(Tx tx, RunStore runs, StepStore steps) {
        this.tx = tx;
        this.runs = runs;
        this.steps = steps;
    }

    public StepRecord record(String scope, String runId, String step, String leaseToken, JsonNode output) {
        InvalidNameException.requireValid("scope", scope);
        Fencing.requireToken(leaseToken);
        requireStep(step);
        Limits.requireSize("output", output, Limits.MAX_OUTPUT_BYTES);
        JsonNode value = output == null ? Json.MAPPER.nullNode() : output;
        return tx.run((h, changes) -> {
            Fencing.lockHeld(h, runs, scope, runId, leaseToken);
            Optional<StepRecord> first = steps.stepGet(h, scope, runId, step);
            if (first.isPresent()) {
                StepRecord f = first.get();
                return new StepRecord(f.step(), f.output(), f.attempt(), f.seq(), f.createdAt(), true);
            }
            StepRecord recorded = steps.stepRecord(h, scope, runId, leaseToken, step, value)
                    .orElseThrow(() -> new IllegalStateException("locked running run " + runId + " changed"));
            changes.events(scope, runId);
            return recorded;
        });
    }

    /** The run's steps in record order after seq {@code after}; the next cursor is the last seq. */
    public Page<StepRecord> list(String scope, String runId, long after, int limit) {
        InvalidNameException.requireValid("scope", scope);
        Limits.range("limit", limit, 1, MAX_PAGE);
        if (after < 0) {
            throw new InvalidArgumentException("after must be 0 or more");
        }
        List<StepRecord> rows = tx.read(h -> {
            if (!runs.runExists(h, scope, runId)) {
                throw NotFoundException.run(runId);
            }
            return steps.stepsList(h, scope, runId, after, limit + 1);
        });
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<StepRecord> page = rows.subList(0, limit);
        return new Page<>(page, Long.toString(page.get(page.size() - 1).seq()));
    }

    /**
     * The leases of just-leased runs with what those runs recorded (their steps, while they fit
     * the budget, and their resume results); runs without memos are answered without a read.
     */
    public List<Lease> withMemos(Handle h, String scope, List<StoredRun> leased) {
        List<String> remembering = leased.stream().filter(r -> r.memos() > 0).map(r -> r.run().runId()).toList();
        Map<String, StepStore.Memos> memos = remembering.isEmpty() ? Map.of()
                : steps.memos(h, scope, remembering, LEASE_STEP_BUDGET);
        List<Lease> leases = new ArrayList<>(leased.size());
        for (StoredRun row : leased) {
            var r = row.run();
            StepStore.Memos m = memos.getOrDefault(r.runId(), StepStore.Memos.NONE);
            leases.add(new Lease(r.runId(), r.service(), r.input(), r.attempt(), row.leaseToken(), r.leaseExpiresAt(),
                    m.steps(), m.resumed(), m.stepsComplete()));
        }
        return leases;
    }

    public static void requireStep(String step) {
        if (step == null || !StepRecord.NAME.matcher(step).matches()) {
            throw new InvalidArgumentException("step must match [A-Za-z0-9._:/-]{1,200}");
        }
    }
}

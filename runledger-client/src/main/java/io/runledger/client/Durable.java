package io.runledger.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.Lease;
import io.runledger.api.OnTimeout;
import io.runledger.api.NewWaitpoint;
import io.runledger.api.Page;
import io.runledger.api.Receipt;
import io.runledger.api.RunStatus;
import io.runledger.api.StepRecord;
import io.runledger.api.SuspendRequest;
import io.runledger.api.SuspendResult;
import io.runledger.api.Timestamps;
import io.runledger.api.TriggerRequest;
import io.runledger.api.WaitResult;
import io.runledger.api.WaitpointCreate;
import io.runledger.api.WaitpointRef;
import io.runledger.api.WaitpointStatus;
import io.runledger.client.internal.Wire;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The durable operations of one leased attempt (steps, sleeps, tokens, child runs), by
 * memoization: what the run recorded before comes from the lease and is returned without
 * being done again; what it did not is done, recorded, and then returned as recorded. A
 * suspend that takes effect ends the lease, so it unwinds the handler with {@link Suspended}.
 */
final class Durable {
    /** Page size when a lease could not carry every step. */
    private static final int STEPS_PAGE = 200;

    /** The calls of the attempt that need its lease, and what to do once a suspend ended it. */
    interface Attempt {
        /** Runs a call fenced by the lease token, noting a lost lease. */
        <T> T fenced(Supplier<T> call);

        /** The suspend took effect: the lease is over and nothing is to be reported. */
        void suspended();
    }

    private final Worker worker;
    private final Lease lease;
    private final Attempt attempt;
    /** Outputs by step name; JSON null is kept as a {@code NullNode}, so "recorded null" stays recorded. */
    private final Map<String, JsonNode> steps;
    private final Map<String, List<WaitResult>> resumed;
    private volatile boolean allStepsKnown;

    Durable(Worker worker, Lease lease, Attempt attempt) {
        this.worker = worker;
        this.lease = lease;
        this.attempt = attempt;
        this.steps = new ConcurrentHashMap<>();
        lease.steps().forEach((name, output) -> steps.put(name, orNull(output)));
        this.resumed = new ConcurrentHashMap<>(lease.resumed());
        this.allStepsKnown = lease.stepsComplete();
    }

    JsonNode step(String name, Callable<JsonNode> action) throws Exception {
        checkName(name);
        Objects.requireNonNull(action, "action");
        JsonNode recorded = recorded(name);
        if (recorded != null) {
            return recorded;
        }
        return record(name, action.call());
    }

    void sleep(String name, Duration duration) {
        checkName(name);
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative");
        }
        suspend(name, List.of(WaitpointRef.duration(duration.toNanos() / 1e9)));
    }

    /**
     * The token is created with idempotency key {@code {runId}/{name}}, so an attempt that
     * crashed between creating and recording it gets the same waitpoint again. Its recorded
     * output leaves the callback URL out: the URL holds the secret, which the ledger must not.
     */
    WaitToken createToken(String name, Duration timeout) {
        checkName(name);
        JsonNode recorded = recorded(name);
        if (recorded != null) {
            return token(recorded, null);
        }
        Long timeoutSeconds = timeout == null ? null : Math.ceilDiv(timeout.toMillis(), 1000);
        NewWaitpoint created = worker.ledger().waitpoints().create(worker.scope(),
                new WaitpointCreate(timeoutSeconds, lease.runId() + "/" + name, List.of(), lease.runId()));
        ObjectNode output = Wire.MAPPER.createObjectNode().put("waitpointId", created.waitpoint().waitpointId());
        output.put("expiresAt", Timestamps.format(created.waitpoint().expiresAt()));
        JsonNode kept = record(name, output);
        boolean same = created.waitpoint().waitpointId().equals(kept.path("waitpointId").asText());
        return token(kept, same ? created.callbackUrl() : null);
    }

    JsonNode waitForToken(String name, String waitpointId) {
        checkName(name);
        Objects.requireNonNull(waitpointId, "waitpointId");
        WaitResult result = suspend(name, List.of(WaitpointRef.token(waitpointId))).get(0);
        if (result.status() == WaitpointStatus.TIMED_OUT) {
            throw new WaitTimeoutException(name, waitpointId);
        }
        return result.data();
    }

    /** Idempotent on the server by {@code {runId}/{name}}: a replay gets the first child's receipt. */
    Receipt triggerChild(String name, String service, TriggerRequest request) {
        checkName(name);
        return attempt.fenced(() -> worker.workers().triggerChild(worker.scope(), lease.runId(), lease.leaseToken(),
                name, service, request));
    }

    /**
     * Children under steps {@code name/0}, {@code name/1}, ..., then one suspend at {@code name}
     * on a {@code run} waitpoint per child. On a replay past the wait, no child is triggered
     * again: the resume results answer, in the order of the suspend's waitpoints.
     */
    List<ChildOutcome> triggerAndWait(String name, String service, List<JsonNode> inputs) {
        checkName(name);
        if (inputs.isEmpty()) {
            return List.of();
        }
        if (inputs.size() > SuspendRequest.MAX_WAITPOINTS) {
            // Refused before any child exists, rather than by the suspend after they all do.
            throw new IllegalArgumentException("at most " + SuspendRequest.MAX_WAITPOINTS + " children in one wait");
        }
        checkName(name + "/" + (inputs.size() - 1));
        List<WaitResult> results = resumed.get(name);
        if (results != null) {
            return outcomes(name, results, null);
        }
        List<String> children = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            children.add(triggerChild(name + "/" + i, service, TriggerRequest.of(inputs.get(i))).runId());
        }
        List<WaitpointRef> refs = children.stream().map(WaitpointRef::run).toList();
        return outcomes(name, suspend(name, refs), children);
    }

    private List<WaitResult> suspend(String step, List<WaitpointRef> waitpoints) {
        return suspend(step, waitpoints, null, null);
    }

    /**
     * Suspends at {@code step} unless it was resumed before (then its results answer at once)
     * or every waitpoint is complete already (the server answers their results and the lease
     * goes on). Otherwise the lease is over: the handler is unwound.
     */
    List<WaitResult> suspend(String step, List<WaitpointRef> waitpoints, Long timeoutSeconds, OnTimeout onTimeout) {
        checkName(step);
        List<WaitResult> done = resumed.get(step);
        if (done != null) {
            return done;
        }
        SuspendResult answer = attempt.fenced(() -> worker.workers().suspend(worker.scope(), lease.runId(),
                new SuspendRequest(lease.leaseToken(), step, waitpoints, timeoutSeconds, onTimeout)));
        if (!answer.suspended()) {
            resumed.put(step, answer.results());
            return answer.results();
        }
        attempt.suspended();
        throw new Suspended(step);
    }

    /**
     * Children's outcomes in input order. With the child run ids at hand they are matched by
     * {@code data.runId}; on a replay the results' order (that of the suspend's waitpoints) is it.
     */
    private static List<ChildOutcome> outcomes(String step, List<WaitResult> results, List<String> children) {
        Map<String, WaitResult> byRun = new HashMap<>();
        results.forEach(r -> byRun.put(r.data() == null ? null : r.data().path("runId").asText(null), r));
        List<ChildOutcome> out = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            WaitResult r = children != null && byRun.containsKey(children.get(i)) ? byRun.get(children.get(i))
                    : results.get(i);
            if (r.status() == WaitpointStatus.TIMED_OUT) {
                throw new WaitTimeoutException(step, r.waitpointId());
            }
            JsonNode data = r.data();
            String status = data.path("status").asText(null);
            out.add(new ChildOutcome(data.path("runId").asText(children == null ? null : children.get(i)),
                    status == null ? null : RunStatus.fromWire(status), node(data.get("output")),
                    Wire.error(data.get("error"))));
        }
        return out;
    }

    /** Records a step whose output was computed elsewhere (a command's); returns the output as recorded. */
    JsonNode recordStep(String name, JsonNode output) {
        checkName(name);
        return record(name, output);
    }

    /** Every recorded step's output by name, read in full if the lease could not carry them all. */
    Map<String, JsonNode> steps() {
        if (!allStepsKnown) {
            loadAllSteps();
        }
        return Map.copyOf(steps);
    }

    /** The results of every suspend that has completed, by step. */
    Map<String, List<WaitResult>> resumed() {
        return Map.copyOf(resumed);
    }

    /** The step's recorded output, or null; reads the steps the lease could not carry once, if need be. */
    private JsonNode recorded(String name) {
        JsonNode output = steps.get(name);
        if (output == null && !allStepsKnown) {
            loadAllSteps();
            output = steps.get(name);
        }
        return output;
    }

    private void loadAllSteps() {
        long after = 0;
        while (true) {
            Page<StepRecord> page = worker.ledger().runs().steps(worker.scope(), lease.runId(), after, STEPS_PAGE);
            page.items().forEach(s -> steps.put(s.step(), orNull(s.output())));
            if (page.nextCursor() == null || page.items().isEmpty()) {
                break;
            }
            after = Long.parseLong(page.nextCursor());
        }
        allStepsKnown = true;
    }

    /** Records the step; if it was recorded meanwhile ({@code replayed}) the first output wins. */
    private JsonNode record(String name, JsonNode output) {
        StepRecord saved = attempt.fenced(() -> worker.workers().stepRecord(worker.scope(), lease.runId(), name,
                lease.leaseToken(), orNull(output)));
        JsonNode kept = orNull(saved.output());
        steps.put(name, kept);
        return kept;
    }

    private static WaitToken token(JsonNode recorded, String callbackUrl) {
        return new WaitToken(recorded.path("waitpointId").asText(), callbackUrl,
                Timestamps.parse(recorded.path("expiresAt").asText(null)));
    }

    private static void checkName(String name) {
        if (name == null || !StepRecord.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a step name is 1 to 200 letters, digits or ._:/- : " + name);
        }
    }

    private static JsonNode orNull(JsonNode node) {
        return node == null ? Wire.MAPPER.nullNode() : node;
    }

    private static JsonNode node(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }
}

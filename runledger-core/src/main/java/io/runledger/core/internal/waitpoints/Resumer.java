package io.runledger.core.internal.waitpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.EventDraft;
import io.runledger.api.EventTypes;
import io.runledger.api.RunStatus;
import io.runledger.core.internal.kernel.KeyRelease;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.notify.WaitChanges;
import io.runledger.core.internal.store.EventStore;
import io.runledger.core.internal.store.Json;
import io.runledger.core.internal.store.RunStore;
import io.runledger.core.internal.store.StoredRun;
import io.runledger.core.internal.store.WaitpointStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns waiting runs to the queue once their suspend is over: every waitpoint done, or the
 * suspend's timeout passed. A run resumes with {@code run.resumed {step, results}} (a waitpoint
 * still pending at a timeout reports {@code timed_out}), or fails with {@code waitpoint_timeout}
 * if its suspend said {@code onTimeout: fail}.
 *
 * <p>Whoever completes a waitpoint resumes its runs in the same transaction when it can (a
 * token's completion); a run settling completes the run waitpoints on it in the database, whose
 * NOTIFY reaches {@link #waitpointsDone} on every instance; the maintenance pass catches the
 * rest (durations, timeouts, a lost notification). Each resume first locks the waiting run and
 * then reads its waitpoints in a new statement, so of two transactions completing a run's last
 * two waitpoints, the later one always sees both done.
 */
public final class Resumer implements WaitChanges, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Resumer.class);
    /** Runs one wake-up transaction resumes at most. */
    private static final int WAKE_BATCH = 500;

    private final Tx tx;
    private final RunStore runs;
    private final EventStore ledger;
    private final WaitpointStore waitpoints;
    private final KeyRelease keys;
    /** Runs a NOTIFY named, not resumed yet: drained by one thread, so a burst takes one connection. */
    private final Set<WokenRun> pending = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final ExecutorService woken = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("runledger-resume").factory());

    private record WokenRun(String scope, String runId) {
    }

    public Resumer(Tx tx, RunStore runs, EventStore ledger, WaitpointStore waitpoints, KeyRelease keys) {
        this.tx = tx;
        this.runs = runs;
        this.ledger = ledger;
        this.waitpoints = waitpoints;
        this.keys = keys;
    }

    /**
     * A NOTIFY said a waitpoint of this run finished: resume it, off the listener's thread. Runs
     * woken together (children settling at once, on every instance) are resumed in batches of
     * one transaction per scope by one drainer, not a transaction and a connection each.
     */
    @Override
    public void waitpointsDone(String scope, String runId) {
        pending.add(new WokenRun(scope, runId));
        startDrain();
    }

    private void startDrain() {
        if (draining.compareAndSet(false, true)) {
            try {
                woken.execute(this::drain);
            } catch (RejectedExecutionException e) {
                draining.set(false); // closing: the next instance's maintenance pass resumes them
            }
        }
    }

    private void drain() {
        try {
            while (!pending.isEmpty()) {
                List<WokenRun> batch = new ArrayList<>();
                for (Iterator<WokenRun> it = pending.iterator(); it.hasNext() && batch.size() < WAKE_BATCH; ) {
                    batch.add(it.next());
                    it.remove();
                }
                Map<String, List<String>> byScope = new TreeMap<>();
                batch.forEach(w -> byScope.computeIfAbsent(w.scope(), k -> new ArrayList<>()).add(w.runId()));
                byScope.forEach((scope, runIds) -> {
                    try {
                        tx.run((h, changes) -> resume(h, changes, scope, runIds));
                    } catch (RuntimeException e) {
                        // the maintenance pass resumes them in a moment
                        log.debug("resume of {} runs of {} failed: {}", runIds.size(), scope, e.toString());
                    }
                });
            }
        } finally {
            draining.set(false);
        }
        if (!pending.isEmpty()) {
            startDrain(); // added after the last look, while this drainer was letting go
        }
    }

    /**
     * Resumes (or fails, on a timeout that asks so) those of the runs that wait and whose
     * suspend is over; returns how many changed.
     */
    public int resume(Handle h, Tx.Changes changes, String scope, List<String> runIds) {
        if (runIds.isEmpty()) {
            return 0;
        }
        List<String> waiting = runs.runsLock(h, scope, List.copyOf(new TreeSet<>(runIds))).stream()
                .filter(r -> r.run().status() == RunStatus.WAITING).map(r -> r.run().runId()).toList();
        if (waiting.isEmpty()) {
            return 0;
        }
        int changed = 0;
        for (WaitpointStore.OpenSuspension s : waitpoints.suspensionsOpen(h, scope, waiting)) {
            boolean pending = false;
            ArrayNode results = Json.MAPPER.createArrayNode();
            for (JsonNode w : s.waits()) {
                ObjectNode r = results.addObject();
                r.put("waitpointId", w.path("waitpointId").asText());
                r.put("kind", w.path("kind").asText());
                boolean open = "pending".equals(w.path("status").asText());
                pending |= open;
                r.put("status", open ? "timed_out" : w.path("status").asText());
                r.set("data", open || w.get("data") == null ? Json.MAPPER.nullNode() : w.get("data"));
            }
            if (pending && !s.timedOut()) {
                continue;
            }
            waitpoints.suspensionResumed(h, scope, s.runId(), s.step(), results);
            if (pending && "fail".equals(s.onTimeout())) {
                fail(h, changes, scope, s, results);
            } else {
                resumed(h, changes, scope, s, results);
            }
            changed++;
        }
        return changed;
    }

    private void resumed(Handle h, Tx.Changes changes, String scope, WaitpointStore.OpenSuspension s,
                         ArrayNode results) {
        StoredRun row = runs.runResume(h, scope, s.runId())
                .orElseThrow(() -> new IllegalStateException("locked waiting run " + s.runId() + " changed"));
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("step", s.step());
        d.set("results", results);
        ledger.eventsAppend(h, scope, s.runId(), List.of(new EventDraft(EventTypes.RESUMED, d)));
        changes.events(scope, s.runId());
        if (row.leasable()) {
            changes.work(scope);
        }
    }

    private void fail(Handle h, Tx.Changes changes, String scope, WaitpointStore.OpenSuspension s,
                      ArrayNode results) {
        ObjectNode error = Json.MAPPER.createObjectNode();
        error.put("code", "waitpoint_timeout");
        error.put("message", "the suspend at step '" + s.step() + "' timed out before its waitpoints completed");
        error.set("detail", Json.MAPPER.createObjectNode().put("step", s.step()).set("results", results));
        StoredRun row = runs.runWaitFail(h, scope, s.runId(), error)
                .orElseThrow(() -> new IllegalStateException("locked waiting run " + s.runId() + " changed"));
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("attempt", row.run().attempt());
        d.set("error", error);
        ledger.eventsAppend(h, scope, s.runId(), List.of(new EventDraft(EventTypes.FAILED, d)));
        changes.events(scope, s.runId());
        changes.settled(scope, row.run().service(), RunStatus.FAILED);
        keys.release(h, changes, scope, row.run().concurrencyKey());
    }

    /** What one maintenance pass over waits did: waitpoints it finished, runs that moved on. */
    public record Pass(int finished, int moved) {
    }

    /**
     * The maintenance pass, in the caller's transaction: durations come due, tokens time out,
     * run and batch waitpoints that settled unnoticed complete, then every run whose suspend
     * is over moves on. Each step takes at most {@code batch} rows.
     */
    public Pass pass(Handle h, Tx.Changes changes, int batch) {
        List<WaitpointStore.Woken> woken = new ArrayList<>(waitpoints.waitpointsFinishDue(h, batch));
        int finished = (int) woken.stream().map(w -> w.scope() + '/' + w.waitpointId()).distinct().count();
        List<WaitpointStore.Woken> missed = waitpoints.waitpointsSettleMissed(h, batch);
        finished += (int) missed.stream().map(w -> w.scope() + '/' + w.waitpointId()).distinct().count();
        woken.addAll(missed);
        woken.addAll(waitpoints.suspensionsReady(h, batch));
        int moved = 0;
        for (Map.Entry<String, List<String>> e : byScope(woken).entrySet()) {
            moved += resume(h, changes, e.getKey(), e.getValue());
        }
        return new Pass(finished, moved);
    }

    private static Map<String, List<String>> byScope(List<WaitpointStore.Woken> woken) {
        Map<String, List<String>> byScope = new TreeMap<>();
        for (WaitpointStore.Woken w : woken) {
            if (w.runId() != null) {
                byScope.computeIfAbsent(w.scope(), k -> new ArrayList<>()).add(w.runId());
            }
        }
        return byScope;
    }

    @Override
    public void close() {
        woken.shutdown();
    }
}

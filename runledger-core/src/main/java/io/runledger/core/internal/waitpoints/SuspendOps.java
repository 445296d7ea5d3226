package io.runledger.core.internal.waitpoints;

import io.runledger.core.internal.kernel.RunIds;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.EventDraft;
import io.runledger.api.EventTypes;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidNameException;
import io.runledger.api.NotFoundException;
import io.runledger.api.OnTimeout;
import io.runledger.api.RunStatus;
import io.runledger.api.SuspendRequest;
import io.runledger.api.SuspendResult;
import io.runledger.api.Timestamps;
import io.runledger.api.Waitpoint;
import io.runledger.api.WaitpointKind;
import io.runledger.api.WaitpointRef;
import io.runledger.api.WaitpointStatus;
import io.runledger.core.internal.kernel.Limits;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.kernel.Fencing;
import io.runledger.core.internal.steps.StepOps;
import io.runledger.core.internal.store.EventStore;
import io.runledger.core.internal.store.Json;
import io.runledger.core.internal.store.RunStore;
import io.runledger.core.internal.store.ServiceStore;
import io.runledger.core.internal.store.StepStore;
import io.runledger.core.internal.store.StoredRun;
import io.runledger.core.internal.store.WaitpointStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The lease holder suspends its run on waitpoints. One transaction resolves each waitpoint
 * (a duration and a run or batch waitpoint are created, a token is looked up and share-locked,
 * as is a run waited on, so neither can finish unseen before the suspend commits), then either
 * answers at once (all already done: the suspend is recorded as resumed, the lease goes on) or
 * records the open suspend and moves the run to {@code waiting}, ending its lease.
 */
public final class SuspendOps {
    private final Tx tx;
    private final RunStore runs;
    private final EventStore ledger;
    private final ServiceStore services;
    private final WaitpointStore waitpoints;

    private final RunIds ids;
    public SuspendOps(Tx tx, RunStore runs, EventStore ledger, ServiceStore services, WaitpointStore waitpoints,
                      RunIds ids) {
        this.ids = ids;
        this.tx = tx;
        this.runs = runs;
        this.ledger = ledger;
        this.services = services;
        this.waitpoints = waitpoints;
    }

    public SuspendResult suspend(String scope, String runId, SuspendRequest r) {
        InvalidNameException.requireValid("scope", scope);
        validate(r);
        return tx.run((h, changes) -> {
            StoredRun row = Fencing.lock(h, runs, scope, runId);
            Optional<JsonNode> earlier = waitpoints.suspensionResults(h, scope, runId, r.step());
            if (!Fencing.holds(row, r.leaseToken())) {
                boolean repeat = row.run().status() == RunStatus.WAITING && r.leaseToken().equals(row.leaseToken())
                        && earlier.isPresent() && earlier.get().isMissingNode();
                if (repeat) {
                    return new SuspendResult(true, List.of()); // this lease's suspend took effect already
                }
                throw Fencing.refusal(row.run());
            }
            if (earlier.isPresent()) {
                // A handler executed again reaches a suspend that is over: its results stand.
                return new SuspendResult(false, StepStore.results(earlier.get()));
            }
            Instant now = runs.now(h);
            List<Waitpoint> waits = resolve(h, scope, runId, r.waitpoints(), now);
            ArrayNode results = Json.MAPPER.createArrayNode();
            boolean pending = false;
            for (Waitpoint w : waits) {
                pending |= w.status() == WaitpointStatus.PENDING;
                ObjectNode result = results.addObject();
                result.put("waitpointId", w.waitpointId());
                result.put("kind", w.kind().wireName());
                result.put("status", w.status().wireName());
                result.set("data", w.data() == null ? Json.MAPPER.nullNode() : w.data());
            }
            List<String> ids = waits.stream().map(Waitpoint::waitpointId).toList();
            int attempt = row.run().attempt();
            if (!pending) {
                waitpoints.suspensionInsert(h, scope, runId, r.step(), attempt, null, onTimeout(r).wireName(), results);
                waitpoints.runWaitsInsert(h, scope, runId, r.step(), ids);
                runs.runMemo(h, scope, runId);
                return new SuspendResult(false, StepStore.results(results));
            }
            Instant timeoutAt = r.timeoutSeconds() == null ? null
                    : now.plusSeconds(r.timeoutSeconds()).truncatedTo(ChronoUnit.MICROS);
            waitpoints.suspensionInsert(h, scope, runId, r.step(), attempt, timeoutAt, onTimeout(r).wireName(), null);
            waitpoints.runWaitsInsert(h, scope, runId, r.step(), ids);
            StoredRun waiting = runs.runSuspend(h, scope, runId, r.leaseToken())
                    .orElseThrow(() -> new IllegalStateException("locked running run " + runId + " changed"));
            ledger.eventsAppend(h, scope, runId, List.of(waitingEvent(r, waits, timeoutAt)));
            changes.events(scope, runId);
            changes.dueAt(timeoutAt);
            waits.stream().filter(w -> w.status() == WaitpointStatus.PENDING)
                    .forEach(w -> changes.dueAt(w.resumeAt() != null ? w.resumeAt() : w.expiresAt()));
            // the run no longer counts against its service's concurrency limit: capped polls may go on
            if (!services.servicesWithLimit(h, scope, List.of(waiting.run().service())).isEmpty()) {
                changes.work(scope);
            }
            return new SuspendResult(true, List.of());
        });
    }

    private static OnTimeout onTimeout(SuspendRequest r) {
        return r.onTimeout() == null ? OnTimeout.RESUME : r.onTimeout();
    }

    /** Each waitpoint of the suspend, in its order: created (duration, run, batch) or found (token). */
    private List<Waitpoint> resolve(Handle h, String scope, String runId, List<WaitpointRef> refs, Instant now) {
        List<String> tokenIds = refs.stream().filter(w -> w.kind() == WaitpointKind.TOKEN)
                .map(WaitpointRef::waitpointId).toList();
        Map<String, Waitpoint> tokens = new HashMap<>();
        if (!tokenIds.isEmpty()) {
            waitpoints.waitpointsShare(h, scope, tokenIds).forEach(w -> tokens.put(w.waitpointId(), w));
        }
        List<Waitpoint> resolved = new ArrayList<>(refs.size());
        for (WaitpointRef ref : refs) {
            resolved.add(switch (ref.kind()) {
                case TOKEN -> {
                    Waitpoint w = tokens.get(ref.waitpointId());
                    if (w == null) {
                        throw WaitpointOps.notFound(ref.waitpointId());
                    }
                    if (w.kind() != WaitpointKind.TOKEN) {
                        throw new InvalidArgumentException("waitpoint '" + w.waitpointId() + "' is a "
                                + w.kind().wireName() + " waitpoint; a token wait names a token");
                    }
                    yield w;
                }
                case DURATION -> {
                    Instant at = (ref.until() != null ? ref.until()
                            : now.plusNanos((long) (ref.seconds() * 1e9))).truncatedTo(ChronoUnit.MICROS);
                    boolean due = !at.isAfter(now);
                    yield insert(h, scope, runId, WaitpointKind.DURATION, due,
                            due ? Json.MAPPER.createObjectNode().put("resumeAt", Timestamps.format(at)) : null,
                            null, null, at);
                }
                case RUN -> {
                    if (ref.runId().equals(runId)) {
                        throw new InvalidArgumentException("a run cannot wait on itself");
                    }
                    WaitpointStore.Outcome o = waitpoints.runOutcome(h, scope, ref.runId())
                            .orElseThrow(() -> NotFoundException.run(ref.runId()));
                    yield insert(h, scope, runId, WaitpointKind.RUN, o.settled(), o.settled() ? o.data() : null,
                            ref.runId(), null, null);
                }
                case BATCH -> {
                    WaitpointStore.Outcome o = waitpoints.batchOutcome(h, scope, ref.batchId())
                            .orElseThrow(() -> NotFoundException.of("batch_not_found",
                                    "batch '" + ref.batchId() + "' does not exist"));
                    yield insert(h, scope, runId, WaitpointKind.BATCH, o.settled(), o.settled() ? o.data() : null,
                            null, ref.batchId(), null);
                }
            });
        }
        return resolved;
    }

    private Waitpoint insert(Handle h, String scope, String runId, WaitpointKind kind, boolean done, JsonNode data,
                             String targetRunId, String targetBatchId, Instant resumeAt) {
        return waitpoints.waitpointInsert(h, new WaitpointStore.WaitpointInsert(scope, ids.waitpoint(), kind,
                        done ? WaitpointStatus.COMPLETED : WaitpointStatus.PENDING, data, runId, targetRunId,
                        targetBatchId, resumeAt, null, null, null, List.of()))
                .orElseThrow(() -> new IllegalStateException("a waitpoint without a key was not inserted"));
    }

    private static EventDraft waitingEvent(SuspendRequest r, List<Waitpoint> waits, Instant timeoutAt) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("step", r.step());
        ArrayNode list = d.putArray("waitpoints");
        for (Waitpoint w : waits) {
            ObjectNode item = list.addObject();
            item.put("waitpointId", w.waitpointId());
            item.put("kind", w.kind().wireName());
            item.put("status", w.status().wireName());
            if (w.targetRunId() != null) {
                item.put("runId", w.targetRunId());
            }
            if (w.targetBatchId() != null) {
                item.put("batchId", w.targetBatchId());
            }
            if (w.resumeAt() != null) {
                item.put("resumeAt", Timestamps.format(w.resumeAt()));
            }
        }
        if (timeoutAt != null) {
            d.put("timeoutAt", Timestamps.format(timeoutAt));
            d.put("onTimeout", onTimeout(r).wireName());
        }
        return new EventDraft(EventTypes.WAITING, d);
    }

    private static void validate(SuspendRequest r) {
        Fencing.requireToken(r.leaseToken());
        StepOps.requireStep(r.step());
        if (r.waitpoints().isEmpty() || r.waitpoints().size() > SuspendRequest.MAX_WAITPOINTS) {
            throw new InvalidArgumentException("waitpoints must hold 1.." + SuspendRequest.MAX_WAITPOINTS + " waitpoints");
        }
        Set<String> tokens = new HashSet<>();
        for (WaitpointRef w : r.waitpoints()) {
            if (w == null || w.kind() == null) {
                throw new InvalidArgumentException("each waitpoint needs a kind (duration, token, run, batch)");
            }
            boolean ok = switch (w.kind()) {
                case DURATION -> (w.seconds() == null) != (w.until() == null) && w.waitpointId() == null
                        && w.runId() == null && w.batchId() == null;
                case TOKEN -> w.waitpointId() != null && w.seconds() == null && w.until() == null
                        && w.runId() == null && w.batchId() == null;
                case RUN -> w.runId() != null && w.seconds() == null && w.until() == null && w.waitpointId() == null
                        && w.batchId() == null;
                case BATCH -> w.batchId() != null && w.seconds() == null && w.until() == null
                        && w.waitpointId() == null && w.runId() == null;
            };
            if (!ok) {
                throw new InvalidArgumentException("a " + w.kind().wireName() + " waitpoint takes "
                        + switch (w.kind()) {
                            case DURATION -> "seconds or until";
                            case TOKEN -> "waitpointId";
                            case RUN -> "runId";
                            case BATCH -> "batchId";
                        } + " and nothing else");
            }
            if (w.seconds() != null && !(w.seconds() >= 0 && w.seconds() <= Limits.MAX_DELAY_SECONDS)) {
                throw new InvalidArgumentException("seconds must be between 0 and " + Limits.MAX_DELAY_SECONDS);
            }
            if (w.until() != null && (w.until().isBefore(Instant.EPOCH)
                    || w.until().isAfter(Instant.now().plus(Duration.ofSeconds(Limits.MAX_DELAY_SECONDS))))) {
                throw new InvalidArgumentException("until must be between 1970-01-01T00:00:00Z and "
                        + Limits.MAX_DELAY_SECONDS / 86_400 + " days from now");
            }
            Limits.optionalText("waitpointId", w.waitpointId(), Limits.MAX_KEY_LENGTH);
            Limits.optionalText("runId", w.runId(), Limits.MAX_KEY_LENGTH);
            Limits.optionalText("batchId", w.batchId(), Limits.MAX_KEY_LENGTH);
            if (w.kind() == WaitpointKind.TOKEN && !tokens.add(w.waitpointId())) {
                throw new InvalidArgumentException("waitpoint '" + w.waitpointId() + "' is named twice");
            }
        }
        if (r.timeoutSeconds() != null) {
            Limits.range("timeoutSeconds", r.timeoutSeconds(), 1, Limits.MAX_DELAY_SECONDS);
        }
    }
}

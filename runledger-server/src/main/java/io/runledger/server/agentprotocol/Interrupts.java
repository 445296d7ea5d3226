package io.runledger.server.agentprotocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.runledger.api.EventPage;
import io.runledger.api.EventTypes;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.NotFoundException;
import io.runledger.api.RunEvent;
import io.runledger.api.Runs;
import io.runledger.api.ThreadRun;
import io.runledger.api.Waitpoint;
import io.runledger.api.WaitpointStatus;
import io.runledger.api.Waitpoints;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Interrupts are token waitpoints: a run whose worker suspends on a pending token waits for
 * someone. The interrupt's {@code id} is the token's waitpoint id; its {@code value} is what the
 * worker said it asks, in a {@code custom.interrupt} event {@code {"value": ..., "waitpointId":
 * ...}} appended before the suspend (without {@code waitpointId} it is the value of every token
 * of the next suspend). A resume completes the tokens, which puts the run back in the queue.
 */
final class Interrupts {
    static final String EVENT = "custom.interrupt";
    /** Events read per page when looking back through a ledger for a suspend and its values. */
    private static final int PAGE = 200;
    /** How far back a suspend's values are looked for: beyond it they are null. */
    private static final int MAX_PAGES = 50;

    private final Runs runs;
    private final Waitpoints waitpoints;

    Interrupts(Runs runs, Waitpoints waitpoints) {
        this.runs = Objects.requireNonNull(runs, "runs");
        this.waitpoints = Objects.requireNonNull(waitpoints, "waitpoints");
    }

    /** One interrupt: the token's id and the value the worker gave it (null if none). */
    record Interrupt(String id, JsonNode value) {
    }

    /** What an interrupted run waits for: the suspend's step and its pending tokens. */
    record Pending(String step, List<Interrupt> interrupts) {
        static final Pending NONE = new Pending(null, List.of());
    }

    /** The tokens a {@code run.waiting} event waits on, with their values, as of that event. */
    List<Interrupt> at(String scope, RunEvent waiting) {
        List<String> tokens = tokens(waiting);
        if (tokens.isEmpty()) {
            return List.of();
        }
        return values(scope, waiting.runId(), waiting.seq() - 1, tokens);
    }

    /** The run's pending interrupts now; {@link Pending#NONE} unless it is interrupted. */
    Pending current(String scope, ThreadRun tr) {
        if (!tr.interrupted()) {
            return Pending.NONE;
        }
        RunEvent waiting = latestWaiting(scope, tr.run().runId(), tr.run().lastSeq());
        if (waiting == null) {
            return Pending.NONE;
        }
        List<Interrupt> pending = new ArrayList<>();
        for (Interrupt i : at(scope, waiting)) {
            if (stillPending(scope, i.id())) {
                pending.add(i);
            }
        }
        return new Pending(waiting.data().path("step").asText(null), pending);
    }

    /**
     * Completes the run's pending tokens with {@code resume}: one value for all of them, or an
     * object mapping each interrupt id to its value (ids it does not name stay pending).
     */
    void resume(String scope, Pending pending, JsonNode resume) {
        if (pending.interrupts().isEmpty()) {
            throw new InvalidArgumentException("command.resume: the thread has no interrupt to resume");
        }
        Map<String, JsonNode> values = new LinkedHashMap<>();
        boolean byId = resume.isObject() && !resume.isEmpty();
        for (var field : resume.properties()) {
            byId &= pending.interrupts().stream().anyMatch(i -> i.id().equals(field.getKey()));
        }
        for (Interrupt i : pending.interrupts()) {
            if (!byId) {
                values.put(i.id(), resume);
            } else if (resume.has(i.id())) {
                values.put(i.id(), resume.get(i.id()));
            }
        }
        values.forEach((id, value) -> waitpoints.complete(scope, id, value));
    }

    static ArrayNode json(List<Interrupt> interrupts) {
        ArrayNode list = ApJson.array();
        for (Interrupt i : interrupts) {
            list.addObject().put("id", i.id()).set("value", ApJson.orNull(i.value()));
        }
        return list;
    }

    private static List<String> tokens(RunEvent waiting) {
        List<String> ids = new ArrayList<>();
        for (JsonNode w : waiting.data().path("waitpoints")) {
            if ("token".equals(w.path("kind").asText()) && w.hasNonNull("waitpointId")) {
                ids.add(w.get("waitpointId").asText());
            }
        }
        return ids;
    }

    private boolean stillPending(String scope, String waitpointId) {
        try {
            Waitpoint w = waitpoints.get(scope, waitpointId);
            return w.status() == WaitpointStatus.PENDING;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private RunEvent latestWaiting(String scope, String runId, long lastSeq) {
        for (long hi = lastSeq, pages = 0; hi > 0 && pages < MAX_PAGES; hi -= PAGE, pages++) {
            List<RunEvent> page = window(scope, runId, hi);
            for (int i = page.size() - 1; i >= 0; i--) {
                if (page.get(i).type().equals(EventTypes.WAITING)) {
                    return page.get(i);
                }
            }
        }
        return null;
    }

    /**
     * The values of {@code tokens}, looking back from {@code fromSeq} to the previous resume
     * (the start of this suspend's attempt): the latest {@code custom.interrupt} naming a token
     * gives its value, else the latest naming none.
     */
    private List<Interrupt> values(String scope, String runId, long fromSeq, List<String> tokens) {
        Map<String, JsonNode> named = new HashMap<>();
        JsonNode unnamed = null;
        boolean sawUnnamed = false;
        scan:
        for (long hi = fromSeq, pages = 0; hi > 0 && pages < MAX_PAGES; hi -= PAGE, pages++) {
            List<RunEvent> page = window(scope, runId, hi);
            for (int i = page.size() - 1; i >= 0; i--) {
                RunEvent e = page.get(i);
                if (e.type().equals(EventTypes.RESUMED)) {
                    break scan;
                }
                if (!e.type().equals(EVENT) || e.data() == null) {
                    continue;
                }
                JsonNode value = e.data().has("value") ? e.data().get("value") : e.data();
                String id = e.data().path("waitpointId").asText(null);
                if (id == null) {
                    if (!sawUnnamed) {
                        unnamed = value;
                        sawUnnamed = true;
                    }
                } else {
                    named.putIfAbsent(id, value);
                }
                if (named.keySet().containsAll(tokens)) {
                    break scan;
                }
            }
        }
        List<Interrupt> result = new ArrayList<>();
        for (String id : tokens) {
            result.add(new Interrupt(id, named.containsKey(id) ? named.get(id) : unnamed));
        }
        return result;
    }

    /** The events with seq in (hi - PAGE, hi]. */
    private List<RunEvent> window(String scope, String runId, long hi) {
        long after = Math.max(0, hi - PAGE);
        EventPage page = runs.events(scope, runId, after, (int) (hi - after));
        return page.items();
    }
}

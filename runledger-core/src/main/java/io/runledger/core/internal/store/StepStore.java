package io.runledger.core.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.StepRecord;
import io.runledger.api.WaitResult;
import io.runledger.api.WaitpointKind;
import io.runledger.api.WaitpointStatus;
import io.runledger.core.internal.db.SqlStatements;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** Statements of {@code run_steps}, and what a lease carries of a run's steps and resumes. */
public final class StepStore {
    private static final SqlStatements STEPS = SqlStatements.load(StepStore.class, "run_steps.sql");

    private static final RowMapper<StepRecord> STEP = (rs, ctx) -> new StepRecord(
            rs.getString("step"),
            Json.read(rs.getString("output")),
            rs.getInt("attempt"),
            rs.getLong("seq"),
            RunMapper.instant(rs, "created_at"),
            false);

    /** What a run recorded, as a lease carries it. */
    public record Memos(Map<String, JsonNode> steps, Map<String, List<WaitResult>> resumed, boolean stepsComplete) {
        public static final Memos NONE = new Memos(Map.of(), Map.of(), true);
    }

    public Optional<StepRecord> stepGet(Handle h, String scope, String runId, String step) {
        return h.createQuery(STEPS.get("stepGet")).bind("scope", scope).bind("runId", runId).bind("step", step)
                .map(STEP).findOne();
    }

    /** Records the step for a run running under {@code token}; empty if the lease does not hold. */
    public Optional<StepRecord> stepRecord(Handle h, String scope, String runId, String token, String step,
                                           JsonNode output) {
        return h.createQuery(STEPS.get("stepRecord"))
                .bind("scope", scope).bind("runId", runId).bind("token", token).bind("step", step)
                .bind("output", Json.write(output))
                .map(STEP).findOne();
    }

    public List<StepRecord> stepsList(Handle h, String scope, String runId, long after, int limit) {
        return h.createQuery(STEPS.get("stepsList")).bind("scope", scope).bind("runId", runId).bind("after", after)
                .bind("limit", limit).map(STEP).list();
    }

    /**
     * The steps (while their outputs fit {@code budget} bytes per run) and resume results of
     * the given runs of one scope, by run id.
     */
    public Map<String, Memos> memos(Handle h, String scope, List<String> runIds, long budget) {
        String[] ids = runIds.toArray(String[]::new);
        Map<String, Map<String, JsonNode>> steps = new HashMap<>();
        Map<String, Long> totals = new HashMap<>();
        h.createQuery(STEPS.get("stepsOfRuns")).bind("scope", scope).bind("runIds", ids).bind("budget", budget)
                .map((rs, ctx) -> {
                    String runId = rs.getString("run_id");
                    steps.computeIfAbsent(runId, k -> new LinkedHashMap<>())
                            .put(rs.getString("step"), Json.read(rs.getString("output")));
                    totals.put(runId, rs.getLong("total"));
                    return runId;
                }).list();
        Map<String, Map<String, List<WaitResult>>> resumed = new HashMap<>();
        h.createQuery(STEPS.get("resumesOfRuns")).bind("scope", scope).bind("runIds", ids)
                .map((rs, ctx) -> {
                    String runId = rs.getString("run_id");
                    resumed.computeIfAbsent(runId, k -> new LinkedHashMap<>())
                            .put(rs.getString("step"), results(Json.read(rs.getString("results"))));
                    return runId;
                }).list();
        Map<String, Memos> byRun = new HashMap<>();
        for (String runId : runIds) {
            Map<String, JsonNode> s = steps.getOrDefault(runId, Map.of());
            // a run whose first step alone exceeds the budget has none here, and no total either
            boolean complete = totals.containsKey(runId) ? totals.get(runId) == s.size()
                    : stepCount(h, scope, runId) == 0;
            byRun.put(runId, new Memos(s, resumed.getOrDefault(runId, Map.of()), complete));
        }
        return byRun;
    }

    private long stepCount(Handle h, String scope, String runId) {
        return h.createQuery(STEPS.get("stepCount"))
                .bind("scope", scope).bind("runId", runId).mapTo(Long.class).one();
    }

    /** Stored resume results ({@code [{waitpointId, kind, status, data}]}) as records. */
    public static List<WaitResult> results(JsonNode node) {
        List<WaitResult> list = new ArrayList<>();
        if (node != null) {
            for (JsonNode r : node) {
                JsonNode data = r.get("data");
                list.add(new WaitResult(r.path("waitpointId").asText(), WaitpointKind.fromWire(r.path("kind").asText()),
                        WaitpointStatus.fromWire(r.path("status").asText()),
                        data == null ? Json.MAPPER.nullNode() : data));
            }
        }
        return list;
    }
}

package io.runledger.server.agentprotocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.AgentThread;
import io.runledger.api.Run;
import io.runledger.api.ServiceInfo;
import io.runledger.api.ThreadRun;
import java.util.List;

/** The protocol's JSON for assistants, threads, runs and thread states. */
final class ApViews {
    private ApViews() {
    }

    /** An assistant is a service: its id, graph and name are the service's name. */
    static ObjectNode assistant(ServiceInfo s) {
        ObjectNode n = ApJson.object();
        n.put("assistant_id", s.service());
        n.put("graph_id", s.service());
        n.put("name", s.service());
        n.put("description", s.description());
        n.set("config", ApJson.object());
        n.set("context", ApJson.object());
        n.set("metadata", ApJson.object());
        n.put("version", 1);
        n.put("created_at", ApJson.time(s.createdAt()));
        n.put("updated_at", ApJson.time(s.updatedAt()));
        return n;
    }

    /** A thread; {@code pending} are the interrupts of its interrupted run, if any. */
    static ObjectNode thread(AgentThread t, Interrupts.Pending pending) {
        ObjectNode n = ApJson.object();
        n.put("thread_id", t.threadId());
        n.put("created_at", ApJson.time(t.createdAt()));
        n.put("updated_at", ApJson.time(t.updatedAt()));
        n.put("state_updated_at", ApJson.time(t.updatedAt()));
        n.set("metadata", t.metadata());
        n.put("status", t.status().wireName());
        n.set("values", ApJson.orNull(t.values()));
        ObjectNode interrupts = n.putObject("interrupts");
        if (!pending.interrupts().isEmpty()) {
            interrupts.set(t.activeRunId(), Interrupts.json(pending.interrupts()));
        }
        n.set("config", ApJson.object());
        n.putNull("error");
        return n;
    }

    /** The thread a run belongs to, as its input says (runs the layer triggered carry it). */
    static String threadIdOf(Run run) {
        JsonNode input = run.input();
        return input != null && input.isObject() && input.path("thread_id").isTextual()
                ? input.get("thread_id").asText() : null;
    }

    static ObjectNode run(ThreadRun tr, String threadId) {
        Run run = tr.run();
        ObjectNode n = ApJson.object();
        n.put("run_id", run.runId());
        n.put("thread_id", threadId);
        n.put("assistant_id", run.service());
        n.put("created_at", ApJson.time(run.createdAt()));
        n.put("updated_at", ApJson.time(run.updatedAt()));
        n.put("status", ApStatus.of(tr));
        n.set("metadata", run.metadata() == null ? ApJson.object() : run.metadata());
        JsonNode input = run.input();
        boolean layered = input != null && input.isObject();
        n.set("multitask_strategy", layered ? ApJson.orNull(input.get("multitask_strategy")) : ApJson.orNull(null));
        if (run.stopRequestedAt() != null) {
            n.put("cancel_reason", "interrupt");
        }
        ObjectNode kwargs = n.putObject("kwargs");
        if (layered) {
            for (String field : List.of("input", "command", "config", "context", "stream_mode")) {
                kwargs.set(field, ApJson.orNull(input.get(field)));
            }
        } else {
            kwargs.set("input", ApJson.orNull(input));
        }
        return n;
    }

    /**
     * The thread's state: its values (the output of its latest succeeded run), and, while it
     * is interrupted, the suspend as the task that waits ({@code next}, {@code tasks}) with its
     * interrupts. A checkpoint is a run: its id is the run whose output the values are.
     */
    static ObjectNode state(String threadId, JsonNode values, String checkpointRunId, Interrupts.Pending pending,
                            String interruptedRunId, java.time.Instant at) {
        ObjectNode n = ApJson.object();
        n.set("values", values == null ? ApJson.object() : values);
        ArrayNode next = n.putArray("next");
        ArrayNode tasks = n.putArray("tasks");
        if (!pending.interrupts().isEmpty()) {
            String step = pending.step() == null ? "interrupt" : pending.step();
            next.add(step);
            ObjectNode task = tasks.addObject();
            task.put("id", interruptedRunId);
            task.put("name", step);
            task.putNull("error");
            task.set("interrupts", Interrupts.json(pending.interrupts()));
            task.putNull("checkpoint");
            task.putNull("state");
        }
        n.set("checkpoint", checkpoint(threadId, checkpointRunId));
        ObjectNode metadata = n.putObject("metadata");
        metadata.put("source", "loop");
        if (checkpointRunId != null) {
            metadata.put("run_id", checkpointRunId);
        }
        n.put("created_at", ApJson.time(at));
        n.putNull("parent_checkpoint");
        n.set("interrupts", Interrupts.json(pending.interrupts()));
        return n;
    }

    static ObjectNode checkpoint(String threadId, String runId) {
        ObjectNode c = ApJson.object();
        c.put("thread_id", threadId);
        c.put("checkpoint_ns", "");
        c.put("checkpoint_id", runId);
        c.putNull("checkpoint_map");
        return c;
    }

    /** Keeps only the {@code select}ed fields of each item (all when {@code select} is empty). */
    static ArrayNode select(List<ObjectNode> items, List<String> select) {
        ArrayNode out = ApJson.array();
        for (ObjectNode item : items) {
            if (select == null || select.isEmpty()) {
                out.add(item);
            } else {
                ObjectNode kept = ApJson.object();
                select.forEach(f -> {
                    if (item.has(f)) {
                        kept.set(f, item.get(f));
                    }
                });
                out.add(kept);
            }
        }
        return out;
    }
}

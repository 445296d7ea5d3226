package io.runledger.server.agentprotocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.EventTypes;
import io.runledger.api.RunEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps a run's ledger events to the protocol's stream parts. Each event gives zero or more
 * parts; which ones does not depend on the stream modes (those only filter), so the parts of an
 * event, and their ids, are the same on every connection:
 * <ul>
 * <li>{@code run.accepted}: {@code metadata {run_id, thread_id}};
 * <li>{@code custom.values}, {@code custom.updates}: {@code values}, {@code updates} with the
 *     event's data;
 * <li>{@code output.delta {text, id?}}: {@code messages [AIMessageChunk, metadata]};
 *     {@code custom.messages}: {@code messages} with a message, or a {@code [message, metadata]} pair;
 * <li>{@code custom.interrupt}: none (it names an interrupt's value, see {@link Interrupts});
 *     any other {@code custom.*}: {@code custom} with the event's data;
 * <li>{@code run.waiting} on tokens: {@code updates {"__interrupt__": [{id, value}]}}, then
 *     {@code end} if the run still waits there (the stream ends, as LangGraph's does at an interrupt);
 * <li>{@code run.succeeded}: {@code values} (the output), {@code end};
 *     {@code run.failed}, {@code run.expired}: {@code error}, {@code end}; {@code run.cancelled}: {@code end}.
 * </ul>
 */
final class StreamParts {
    static final String METADATA = "metadata";
    static final String ERROR = "error";
    static final String END = "end";
    static final String VALUES_EVENT = "custom.values";
    static final String UPDATES_EVENT = "custom.updates";
    static final String MESSAGES_EVENT = "custom.messages";
    static final String CUSTOM_PREFIX = "custom.";

    /** One part: the SSE event name and its data. */
    record Part(String event, JsonNode data) {
        /** Whether a stream with {@code modes} sends it (metadata, error and end always). */
        boolean wanted(List<String> modes) {
            return switch (event) {
                case METADATA, ERROR, END -> true;
                default -> StreamModes.wants(modes, event);
            };
        }
    }

    /** What the mapping needs to know beyond the event: the run's thread and its interrupts. */
    interface Context {
        String runId();

        String threadId();

        /** The interrupts of a {@code run.waiting} event (empty when it waits on no token). */
        List<Interrupts.Interrupt> interrupts(RunEvent waiting);

        /** Whether the run still waits at this {@code run.waiting} event (its stream ends there). */
        boolean stillWaiting(RunEvent waiting);
    }

    private StreamParts() {
    }

    static List<Part> of(RunEvent e, Context c) {
        JsonNode data = e.data() == null ? ApJson.orNull(null) : e.data();
        List<Part> parts = new ArrayList<>(2);
        switch (e.type()) {
            case EventTypes.ACCEPTED -> parts.add(new Part(METADATA, metadata(c)));
            case VALUES_EVENT -> parts.add(new Part(StreamModes.VALUES, data));
            case UPDATES_EVENT -> parts.add(new Part(StreamModes.UPDATES, data));
            case MESSAGES_EVENT -> parts.add(new Part(StreamModes.MESSAGES, messageTuple(data, c)));
            case "output.delta" -> parts.add(new Part(StreamModes.MESSAGES, deltaTuple(data, c)));
            case Interrupts.EVENT -> { }
            case EventTypes.WAITING -> {
                List<Interrupts.Interrupt> interrupts = c.interrupts(e);
                if (!interrupts.isEmpty()) {
                    ObjectNode update = ApJson.object();
                    update.set("__interrupt__", Interrupts.json(interrupts));
                    parts.add(new Part(StreamModes.UPDATES, update));
                    if (c.stillWaiting(e)) {
                        parts.add(end(c, ApStatus.INTERRUPTED));
                    }
                }
            }
            case EventTypes.SUCCEEDED -> {
                parts.add(new Part(StreamModes.VALUES, ApJson.orNull(data.get("output"))));
                parts.add(end(c, ApStatus.SUCCESS));
            }
            case EventTypes.FAILED -> {
                parts.add(error(data.path("error")));
                parts.add(end(c, ApStatus.ERROR));
            }
            case EventTypes.EXPIRED -> {
                parts.add(error(data.path("error")));
                parts.add(end(c, ApStatus.TIMEOUT));
            }
            case EventTypes.CANCELLED -> parts.add(end(c, ApStatus.INTERRUPTED));
            default -> {
                if (e.type().startsWith(CUSTOM_PREFIX)) {
                    parts.add(new Part(StreamModes.CUSTOM, data));
                }
            }
        }
        return parts;
    }

    /** Whether a stream ends after these parts. */
    static boolean ends(List<Part> parts) {
        return !parts.isEmpty() && parts.getLast().event().equals(END);
    }

    static ObjectNode metadata(Context c) {
        ObjectNode n = ApJson.object();
        n.put("run_id", c.runId());
        n.put("thread_id", c.threadId());
        return n;
    }

    private static Part end(Context c, String status) {
        ObjectNode n = ApJson.object();
        n.put("run_id", c.runId());
        n.put("status", status);
        return new Part(END, n);
    }

    private static Part error(JsonNode error) {
        ObjectNode n = ApJson.object();
        n.put("error", error.path("code").asText("error"));
        n.put("message", error.path("message").asText(""));
        return new Part(ERROR, n);
    }

    private static ObjectNode tupleMetadata(Context c, JsonNode extra) {
        ObjectNode meta = ApJson.object();
        if (extra != null && extra.isObject()) {
            meta.setAll((ObjectNode) extra.deepCopy());
        }
        meta.put("run_id", c.runId());
        meta.put("thread_id", c.threadId());
        if (!meta.path("tags").isArray()) {
            meta.putArray("tags");
        }
        return meta;
    }

    /** An AI message chunk; its id is the delta's {@code id}, else one per run. */
    private static JsonNode deltaTuple(JsonNode data, Context c) {
        ObjectNode chunk = ApJson.object();
        chunk.put("type", "AIMessageChunk");
        chunk.put("id", data.path("id").isTextual() ? data.get("id").asText() : "run-" + c.runId());
        JsonNode text = data.get("text");
        chunk.set("content", text == null ? ApJson.object().textNode("") : text);
        chunk.set("additional_kwargs", ApJson.object());
        chunk.set("response_metadata", ApJson.object());
        chunk.putArray("tool_calls");
        chunk.putArray("tool_call_chunks");
        chunk.putArray("invalid_tool_calls");
        ObjectNode meta = tupleMetadata(c, null);
        if (data.path("node").isTextual()) {
            meta.put("langgraph_node", data.get("node").asText());
        }
        return ApJson.array().add(chunk).add(meta);
    }

    private static JsonNode messageTuple(JsonNode data, Context c) {
        if (data.isArray() && data.size() == 2 && data.get(0).isObject()) {
            return ApJson.array().add(data.get(0)).add(tupleMetadata(c, data.get(1)));
        }
        return ApJson.array().add(data).add(tupleMetadata(c, null));
    }
}

package io.runledger.server.agentprotocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidNameException;
import java.util.List;

/**
 * The protocol's run create body ({@code POST [/threads/{t}]/runs[/wait|/stream]}), with every
 * field the LangGraph SDK may send. Fields RunLedger has no use for are accepted as long as
 * they ask for nothing ({@link ApJson#unsupported}); the others are checked by
 * {@link #validate} before anything is written.
 */
record RunCreateBody(
        String assistantId,
        JsonNode input,
        JsonNode command,
        JsonNode config,
        JsonNode context,
        JsonNode metadata,
        JsonNode streamMode,
        Boolean streamSubgraphs,
        Boolean streamResumable,
        JsonNode feedbackKeys,
        JsonNode interruptBefore,
        JsonNode interruptAfter,
        JsonNode checkpoint,
        String checkpointId,
        String webhook,
        Boolean strictResume,
        String multitaskStrategy,
        String onCompletion,
        String onDisconnect,
        Double afterSeconds,
        String ifNotExists,
        Boolean checkpointDuring,
        String durability,
        JsonNode langsmithTracer) {

    static final String REJECT = "reject";
    static final String ENQUEUE = "enqueue";
    static final String INTERRUPT = "interrupt";
    static final String ROLLBACK = "rollback";
    /** The longest delay a run may be given: the engine's bound on {@code delaySeconds}. */
    static final double MAX_AFTER_SECONDS = 366d * 24 * 3600;

    /** Checks every field; {@code threaded} says whether the run is created on a thread. */
    RunCreateBody validate(boolean threaded) {
        if (assistantId == null) {
            throw new InvalidArgumentException("assistant_id is required");
        }
        InvalidNameException.requireValid("assistant_id", assistantId);
        ApJson.unsupported("interrupt_before", interruptBefore);
        ApJson.unsupported("interrupt_after", interruptAfter);
        ApJson.unsupported("checkpoint", checkpoint);
        ApJson.unsupported("checkpoint_id", checkpointId);
        ApJson.unsupported("stream_subgraphs", streamSubgraphs);
        ApJson.optionalObject("metadata", metadata);
        ApJson.optionalObject("config", config);
        StreamModes.parse(streamMode);
        oneOf("multitask_strategy", multitaskStrategy, REJECT, ENQUEUE, INTERRUPT, ROLLBACK);
        oneOf("on_completion", onCompletion, "delete", "keep");
        oneOf("on_disconnect", onDisconnect, "cancel", "continue");
        oneOf("if_not_exists", ifNotExists, "create", REJECT);
        oneOf("durability", durability, "sync", "async", "exit");
        if (afterSeconds != null && (!Double.isFinite(afterSeconds) || afterSeconds < 0
                || afterSeconds > MAX_AFTER_SECONDS)) {
            throw new InvalidArgumentException("after_seconds must be between 0 and " + (long) MAX_AFTER_SECONDS);
        }
        if (threaded && onCompletion != null) {
            throw new InvalidArgumentException("on_completion is for runs without a thread");
        }
        if (!threaded && ifNotExists != null) {
            throw new InvalidArgumentException("if_not_exists is for runs on a thread");
        }
        if (command != null && !command.isNull()) {
            if (!command.isObject()) {
                throw new InvalidArgumentException("command must be an object");
            }
            command.fieldNames().forEachRemaining(name -> {
                if (!name.equals("resume")) {
                    ApJson.unsupported("command." + name, command.get(name));
                }
            });
            if (resume() != null) {
                if (!threaded) {
                    throw new InvalidArgumentException("command.resume needs a thread: resume a run of a thread");
                }
                if (!ApJson.absent(input)) {
                    throw new InvalidArgumentException("give either input or command.resume, not both");
                }
            }
        }
        return this;
    }

    /** The value of {@code command.resume}, or null when the run resumes nothing. */
    JsonNode resume() {
        if (command == null || !command.isObject() || !command.has("resume")) {
            return null;
        }
        return command.get("resume");
    }

    String strategy() {
        return multitaskStrategy == null ? REJECT : multitaskStrategy;
    }

    boolean cancelOnDisconnect() {
        return "cancel".equals(onDisconnect);
    }

    /** The stream modes asked for, or the protocol's default ({@code values}). */
    List<String> modes() {
        return StreamModes.parse(streamMode);
    }

    private static void oneOf(String field, String value, String... allowed) {
        if (value != null && !List.of(allowed).contains(value)) {
            throw new InvalidArgumentException(field + " must be one of " + String.join(", ", allowed));
        }
    }
}

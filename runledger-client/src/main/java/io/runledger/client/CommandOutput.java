package io.runledger.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidInputException;
import io.runledger.api.OnTimeout;
import io.runledger.api.PayloadTooLargeException;
import io.runledger.api.RemoteProblemException;
import io.runledger.api.Timestamps;
import io.runledger.api.WaitpointKind;
import io.runledger.api.WaitpointRef;
import io.runledger.client.internal.Wire;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * Reads a command's stdout line by line, as {@link CommandHandler} describes: plain lines
 * become {@code output.delta} events, typed JSON lines events, {@code step.completed} lines
 * recorded steps and a {@code suspend} line a suspend. Keeps the output (the last JSON line,
 * else all of stdout) and how the command's output ended it: a failure, a suspend that took
 * effect, or a suspend answered at once ({@code again}).
 */
final class CommandOutput implements Runnable {
    private final InputStream in;
    private final RunContext ctx;
    /** Null when the context is not a worker's: step and suspend lines are then plain events. */
    private final Durable durable;
    /** The suspends the command could read in its resumed file. */
    private final Map<String, ?> resumedBefore;
    private final Runnable stopCommand;
    private final Runnable endCommand;
    private final StringBuilder all = new StringBuilder();
    private JsonNode lastJson;
    private volatile RuntimeException failure;
    private volatile Suspended suspended;
    private volatile boolean again;

    CommandOutput(InputStream in, RunContext ctx, Durable durable, Runnable stopCommand, Runnable endCommand) {
        this.in = in;
        this.ctx = ctx;
        this.durable = durable;
        this.resumedBefore = durable == null ? Map.of() : durable.resumed();
        this.stopCommand = stopCommand;
        this.endCommand = endCommand;
    }

    /** After a failure or a suspend the rest of stdout is only drained. */
    private boolean ended() {
        return failure != null || suspended != null || again;
    }

    @Override
    public void run() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!ended()) {
                    try {
                        handle(line);
                    } catch (RuntimeException e) {
                        // e.g. the lease was lost, or the server refused an event: the attempt
                        // is over, so the command is stopped; its remaining output is drained
                        // so that it never blocks on a full pipe meanwhile.
                        failure = refused(e) ? new NonRetryableException("invalid_event",
                                "the server refused an event the command printed: " + e.getMessage(), e) : e;
                        Thread.ofVirtual().start(stopCommand);
                    }
                }
            }
        } catch (IOException e) {
            // the process closed its stdout
        }
    }

    /** A refusal of the event itself (the command's fault), as opposed to an outage or a lost lease. */
    private static boolean refused(RuntimeException e) {
        return e instanceof InvalidArgumentException || e instanceof PayloadTooLargeException
                || e instanceof InvalidInputException || e instanceof IllegalArgumentException
                || (e instanceof RemoteProblemException p && p.status() >= 400 && p.status() < 500);
    }

    private void handle(String line) {
        if (all.length() < CommandHandler.MAX_STDOUT_KEPT) {
            all.append(line).append('\n');
        }
        JsonNode json = parse(line);
        if (json != null && json.isObject() && json.path("type").isTextual()) {
            JsonNode data = json.has("data") ? json.get("data") : withoutType((ObjectNode) json);
            String type = json.get("type").asText();
            if (durable != null && type.equals("step.completed")) {
                durable.recordStep(data.path("step").asText(null), data.get("output"));
            } else if (durable != null && type.equals("suspend")) {
                suspend(data);
            } else {
                ctx.emit(type, data);
            }
            return;
        }
        if (json != null) {
            lastJson = json;
        }
        // The line keeps its newline, so the deltas joined are the command's stdout as it
        // printed it (a reader shows lines as lines, not run together).
        String text = line + "\n";
        int start = 0;
        do {
            int end = Math.min(text.length(), start + CommandHandler.MAX_DELTA_CHARS);
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end--; // never split a surrogate pair
            }
            ctx.emit("output.delta", Wire.MAPPER.createObjectNode().put("text", text.substring(start, end)));
            start = end;
        } while (start < text.length());
    }

    /**
     * Suspends as the command asked. Took effect: the command is ended and the handler
     * unwinds. Answered at once: the command is ended and run again with the results.
     */
    private void suspend(JsonNode data) {
        String step = data.path("step").asText(null);
        if (resumedBefore.containsKey(step)) {
            return; // replaying: its results were in the resumed file
        }
        List<WaitpointRef> waitpoints = Wire.list(data.path("waitpoints"), CommandOutput::waitpointRef);
        JsonNode timeout = data.get("timeoutSeconds");
        JsonNode onTimeout = data.get("onTimeout");
        try {
            durable.suspend(step, waitpoints, timeout == null || timeout.isNull() ? null : timeout.asLong(),
                    onTimeout == null || onTimeout.isNull() ? null : OnTimeout.fromWire(onTimeout.asText()));
            again = true;
        } catch (Suspended s) {
            suspended = s;
        }
        Thread.ofVirtual().start(endCommand);
    }

    /** What stopped the command's output from being read as usual, if anything: a lost lease, a refused line. */
    RuntimeException failure() {
        return failure;
    }

    /** The suspend that took effect, if the command asked for one: the handler rethrows it to unwind. */
    Suspended suspended() {
        return suspended;
    }

    /** The command asked for a suspend whose waitpoints were all complete: run it again, with their results. */
    boolean again() {
        return again;
    }

    JsonNode output() {
        return lastJson != null ? lastJson : Wire.MAPPER.getNodeFactory().textNode(all.toString());
    }

    private static ObjectNode withoutType(ObjectNode json) {
        ObjectNode copy = json.deepCopy();
        copy.remove("type");
        return copy;
    }

    private static JsonNode parse(String line) {
        String t = line.strip();
        if (t.isEmpty() || (t.charAt(0) != '{' && t.charAt(0) != '[' && t.charAt(0) != '"')) {
            return null;
        }
        try {
            return Wire.MAPPER.readTree(t);
        } catch (IOException e) {
            return null;
        }
    }

    /** One waitpoint of a command's suspend line, as the API's suspend body writes it. */
    private static WaitpointRef waitpointRef(JsonNode n) {
        if (!n.isObject()) {
            throw new InvalidArgumentException("each waitpoint of a suspend is an object");
        }
        JsonNode seconds = n.get("seconds");
        JsonNode until = n.get("until");
        Instant at;
        try {
            at = until == null || until.isNull() ? null : Timestamps.parse(until.asText());
        } catch (DateTimeParseException e) {
            throw new InvalidArgumentException("until must be an RFC 3339 timestamp: " + until.asText());
        }
        return new WaitpointRef(WaitpointKind.fromWire(n.path("kind").asText()),
                seconds == null || seconds.isNull() ? null : seconds.asDouble(), at,
                n.path("waitpointId").asText(null), n.path("runId").asText(null), n.path("batchId").asText(null));
    }
}

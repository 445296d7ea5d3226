package io.runledger.server.agentprotocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The stream modes a client asks for. {@code values}, {@code updates}, {@code messages} (and
 * {@code messages-tuple}, the same parts) and {@code custom} are served; the other modes of the
 * protocol are accepted and produce no parts. {@code metadata}, {@code error} and {@code end}
 * parts are sent whatever the modes.
 */
final class StreamModes {
    static final String VALUES = "values";
    static final String UPDATES = "updates";
    static final String MESSAGES = "messages";
    static final String MESSAGES_TUPLE = "messages-tuple";
    static final String CUSTOM = "custom";
    private static final Set<String> SERVED = Set.of(VALUES, UPDATES, MESSAGES, MESSAGES_TUPLE, CUSTOM);
    private static final Set<String> ACCEPTED = Set.of("events", "debug", "tasks", "checkpoints", "tools",
            "lifecycle");
    private static final int MAX_MODES = 16;

    private StreamModes() {
    }

    /** A mode or a list of modes from a body; none given is {@code ["values"]}. */
    static List<String> parse(JsonNode node) {
        if (ApJson.absent(node)) {
            return List.of(VALUES);
        }
        List<String> raw = new ArrayList<>();
        if (node.isTextual()) {
            raw.add(node.textValue());
        } else if (node.isArray() && node.size() <= MAX_MODES) {
            for (JsonNode item : node) {
                if (!item.isTextual()) {
                    throw invalid();
                }
                raw.add(item.textValue());
            }
        } else {
            throw invalid();
        }
        return of(raw);
    }

    /** Modes from query parameters; none given is {@code fallback}. */
    static List<String> of(List<String> raw, List<String> fallback) {
        return raw == null || raw.isEmpty() ? fallback : of(raw);
    }

    private static List<String> of(List<String> raw) {
        if (raw.size() > MAX_MODES) {
            throw invalid();
        }
        for (String mode : raw) {
            if (!SERVED.contains(mode) && !ACCEPTED.contains(mode)) {
                throw invalid();
            }
        }
        return raw.isEmpty() ? List.of(VALUES) : List.copyOf(raw);
    }

    /** Whether parts of {@code mode} (values, updates, messages or custom) are wanted. */
    static boolean wants(List<String> modes, String mode) {
        return modes.contains(mode) || mode.equals(MESSAGES) && modes.contains(MESSAGES_TUPLE);
    }

    private static InvalidArgumentException invalid() {
        return new InvalidArgumentException("stream_mode must be one or a list of up to " + MAX_MODES + " of values,"
                + " updates, messages, messages-tuple, custom (events, debug, tasks, checkpoints, tools and lifecycle"
                + " are accepted and send nothing)");
    }
}

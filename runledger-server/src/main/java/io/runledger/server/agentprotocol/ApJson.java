package io.runledger.server.agentprotocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.Timestamps;
import io.runledger.server.http.JsonBodies;
import io.runledger.server.http.ServerJson;
import java.time.Instant;
import java.util.List;

/** The protocol's snake_case bodies, bound as strictly as every other body of the API. */
final class ApJson {
    /** The server's strict mapper, reading {@code assistant_id} into {@code assistantId}. */
    private static final ObjectMapper SNAKE = ServerJson.MAPPER.copy()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private ApJson() {
    }

    /** The body as {@code type}; an empty body is {@code {}}. */
    static <T> T body(Context ctx, Class<T> type) {
        return bind(JsonBodies.optionalObject(ctx), type);
    }

    static <T> T bind(JsonNode node, Class<T> type) {
        return JsonBodies.bind(SNAKE, node, type);
    }

    static ObjectNode object() {
        return ServerJson.MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return ServerJson.MAPPER.createArrayNode();
    }

    static String time(Instant at) {
        return at == null ? null : Timestamps.format(at);
    }

    /** JSON null for a missing value, so optional fields are present in every answer. */
    static JsonNode orNull(JsonNode value) {
        return value == null ? ServerJson.MAPPER.nullNode() : value;
    }

    static boolean absent(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode();
    }

    /** An object field that may be left out or null; anything but an object is refused. */
    static JsonNode optionalObject(String field, JsonNode value) {
        if (absent(value)) {
            return null;
        }
        if (!value.isObject()) {
            throw new InvalidArgumentException(field + " must be an object");
        }
        return value;
    }

    /**
     * Refuses a protocol field RunLedger does not implement, unless it is left out or has the
     * value that means "not used" (null, false, an empty array or object).
     */
    static void unsupported(String field, Object value) {
        boolean unused = value == null
                || value instanceof Boolean b && !b
                || value instanceof List<?> l && l.isEmpty()
                || value instanceof JsonNode n && (absent(n) || n.isBoolean() && !n.booleanValue()
                        || n.isContainerNode() && n.isEmpty());
        if (!unused) {
            throw new InvalidArgumentException("'" + field + "' is not supported by RunLedger's Agent Protocol layer"
                    + " (see docs/agent-protocol.md)");
        }
    }
}

package io.runledger.server.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.server.http.ServerJson;
import io.runledger.server.wire.WireNames;

/**
 * A query or header parameter of an operation, with the type and bounds the server checks
 * (a value outside them is 400 {@code invalid_argument}).
 */
record ApiParam(String name, String in, String description, ObjectNode schema) {
    /** Text filters and cursors: at most 255 characters, no control characters. */
    private static final int MAX_TEXT = 255;

    static ApiParam integer(String name, long min, long max, long byDefault, String description) {
        return new ApiParam(name, "query", description, ServerJson.MAPPER.createObjectNode().put("type", "integer")
                .put("format", "int64").put("minimum", min).put("maximum", max).put("default", byDefault));
    }

    static ApiParam text(String name, String description) {
        return new ApiParam(name, "query", description, ServerJson.MAPPER.createObjectNode().put("type", "string")
                .put("maxLength", MAX_TEXT));
    }

    static ApiParam timestamp(String name, String description) {
        return new ApiParam(name, "query", description, ServerJson.MAPPER.createObjectNode().put("type", "string")
                .put("format", "date-time"));
    }

    /** One of an enum's wire names. */
    static ApiParam oneOf(String name, Class<? extends Enum<?>> values, String description) {
        ObjectNode schema = ServerJson.MAPPER.createObjectNode().put("type", "string");
        WireNames.all(values).forEach(schema.putArray("enum")::add);
        return new ApiParam(name, "query", description, schema);
    }

    static ApiParam oneOf(String name, String description, String... values) {
        ObjectNode schema = ServerJson.MAPPER.createObjectNode().put("type", "string");
        var names = schema.putArray("enum");
        for (String v : values) {
            names.add(v);
        }
        return new ApiParam(name, "query", description, schema);
    }

    static ApiParam header(String name, String description, ObjectNode schema) {
        return new ApiParam(name, "header", description, schema);
    }

    ObjectNode toJson() {
        ObjectNode p = ServerJson.MAPPER.createObjectNode().put("name", name).put("in", in)
                .put("description", description).put("required", false);
        p.set("schema", schema);
        return p;
    }
}

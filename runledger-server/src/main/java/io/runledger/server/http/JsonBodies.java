package io.runledger.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.javalin.http.Context;
import io.runledger.api.InvalidArgumentException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads request bodies: at most {@link #MAX_BODY_BYTES}, checked on the declared length and
 * on the bytes actually read, then parsed strictly into the endpoint's body record.
 */
public final class JsonBodies {
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final Logger log = LoggerFactory.getLogger(JsonBodies.class);

    private JsonBodies() {
    }

    /** The body as a JSON object; an empty body is refused. */
    public static JsonNode object(Context ctx) {
        JsonNode node = tree(ctx);
        if (node == null) {
            throw HttpProblem.invalidJson("a JSON object body is required");
        }
        return node;
    }

    /** The body as a JSON object; an empty body counts as {@code {}} (all fields optional). */
    public static JsonNode optionalObject(Context ctx) {
        JsonNode node = tree(ctx);
        return node == null ? ServerJson.MAPPER.createObjectNode() : node;
    }

    /** Binds a JSON object to the endpoint's body record, refusing undefined fields and wrong types. */
    public static <T> T bind(JsonNode node, Class<T> type) {
        return bind(ServerJson.MAPPER, node, type);
    }

    /** As {@link #bind(JsonNode, Class)} with another mapper (e.g. one for snake_case bodies). */
    public static <T> T bind(com.fasterxml.jackson.databind.ObjectMapper mapper, JsonNode node, Class<T> type) {
        try {
            return mapper.treeToValue(node, type);
        } catch (UnrecognizedPropertyException e) {
            throw HttpProblem.unknownField(fieldPath(e));
        } catch (JsonMappingException e) {
            throw new InvalidArgumentException(describe(e));
        } catch (JsonProcessingException e) {
            // Number overflow and similar value errors surface as stream-read errors here.
            throw new InvalidArgumentException(e.getOriginalMessage());
        }
    }

    public static <T> T object(Context ctx, Class<T> type) {
        return bind(object(ctx), type);
    }

    public static <T> T optionalObject(Context ctx, Class<T> type) {
        return bind(optionalObject(ctx), type);
    }

    /**
     * The body as any JSON value (object, array, string, number, boolean or null); an empty
     * body is JSON {@code null}. The same limits as every other body.
     */
    public static JsonNode value(Context ctx) {
        JsonNode node = parse(ctx);
        return node == null ? ServerJson.MAPPER.nullNode() : node;
    }

    private static JsonNode tree(Context ctx) {
        JsonNode node = parse(ctx);
        if (node != null && !node.isObject()) {
            throw HttpProblem.invalidJson("the body must be a JSON object");
        }
        return node;
    }

    /** The parsed body, null when empty; refuses what the database could not store. */
    private static JsonNode parse(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BODY_BYTES) {
            throw HttpProblem.payloadTooLarge(MAX_BODY_BYTES);
        }
        byte[] body = readLimited(ctx);
        if (isBlank(body)) {
            return null;
        }
        JsonNode node;
        try {
            node = ServerJson.MAPPER.readTree(body);
        } catch (StreamConstraintsException e) {
            // Well-formed but beyond a limit (nesting deeper than 64, a 1,000-digit number):
            // a value out of range, not broken JSON.
            throw new InvalidArgumentException("the body exceeds a JSON limit: " + e.getOriginalMessage());
        } catch (StreamReadException e) {
            throw HttpProblem.invalidJson("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw HttpProblem.invalidJson("the body is not valid JSON: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            throw HttpProblem.invalidJson("the body is not valid JSON");
        }
        requireStorable(node, "");
        return node;
    }

    private static byte[] readLimited(Context ctx) {
        try (InputStream in = ctx.req().getInputStream()) {
            long declared = ctx.req().getContentLengthLong();
            if (declared >= 0) {
                // The usual case: read exactly the declared bytes into one array of that size
                // (a read of unknown length grows and copies buffers). The declared length
                // was checked against the limit; a body cut short is broken.
                byte[] bytes = new byte[(int) declared];
                if (in.readNBytes(bytes, 0, bytes.length) < bytes.length) {
                    throw new IOException("the body ended before its Content-Length");
                }
                return bytes;
            }
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw HttpProblem.payloadTooLarge(MAX_BODY_BYTES);
            }
            return bytes;
        } catch (IOException e) {
            // A malformed chunked encoding, or a body cut short of its Content-Length: the
            // caller's bytes are broken, not the server. DEBUG only, and never the bytes.
            log.debug("{} {}: the request body could not be read: {}", ctx.method(), Paths.redacted(ctx.path()),
                    e.toString());
            throw HttpProblem.invalidJson("the request body could not be read completely (malformed chunked"
                    + " encoding or shorter than its Content-Length)");
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    /**
     * Values the database could not store faithfully are refused here as a 400 instead of
     * failing there (a 500) or being silently changed: U+0000 (jsonb and text cannot hold
     * it), unpaired UTF-16 surrogates (not encodable as UTF-8) and numbers beyond a double
     * (parsed as Infinity, which JSON cannot express).
     */
    private static void requireStorable(JsonNode node, String path) {
        if (node.isTextual()) {
            requireStorableText(node.textValue(), path);
        } else if (node.isNumber() && node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
            throw new InvalidArgumentException("'" + path + "' is a number too large to store");
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                requireStorableText(field.getKey(), child);
                requireStorable(field.getValue(), child);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                requireStorable(node.get(i), path + "[" + i + "]");
            }
        }
    }

    private static void requireStorableText(String text, String path) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                throw new InvalidArgumentException("'" + path + "' must not contain the NUL character (\\u0000)");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidArgumentException("'" + path + "' contains an unpaired UTF-16 surrogate");
            }
        }
    }

    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String describe(JsonMappingException e) {
        String field = fieldPath(e);
        String message = e.getOriginalMessage();
        int cut = message.indexOf(" at [Source");
        if (cut > 0) {
            message = message.substring(0, cut);
        }
        return field.isEmpty() ? "the body has the wrong shape: " + message
                : "field '" + field + "' has the wrong type or value: " + message;
    }
}

package io.runledger.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.runledger.api.JsonDepth;
import io.runledger.server.wire.WireNames;
import java.io.UncheckedIOException;

/**
 * The server's JSON mapper. Strict on purpose: a field the endpoint does not define, a
 * duplicate key, trailing tokens or a value of the wrong JSON type are refused instead of
 * being guessed at, so that bad input never becomes a write (invariant 11).
 *
 * <p>Answers are the records of {@code io.runledger.server.wire}, written with the API's
 * spelling of enums and timestamps ({@link WireNames}).
 *
 * <p>Depth is asymmetric: a request may nest at most {@link #MAX_REQUEST_DEPTH} levels, but
 * an answer may carry whatever the database holds (rows written before that limit, or by
 * SQL), wrapped in a few levels of envelope, so reading one bad row cannot turn every list
 * of its scope into a 500.
 */
public final class ServerJson {
    /** The deepest JSON a request body may hold; deeper is 400 {@code invalid_argument}. */
    public static final int MAX_REQUEST_DEPTH = JsonDepth.MAX_REQUEST;
    /** The deepest answer written: stored values (the engine reads up to 2,000 levels) plus envelopes. */
    public static final int MAX_RESPONSE_DEPTH = JsonDepth.MAX_ANSWER;
    public static final ObjectMapper MAPPER = strictMapper();

    private ServerJson() {
    }

    private static ObjectMapper strictMapper() {
        // One bounded pool of buffers shared by all threads (as the engine's mapper does):
        // Jackson's default keeps a set per thread, which each open stream's virtual thread
        // would hold for as long as the stream lasts.
        JsonFactory factory = JsonFactory.builder()
                .recyclerPool(JsonRecyclerPools.sharedBoundedPool())
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_REQUEST_DEPTH).build())
                .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_RESPONSE_DEPTH).build())
                .build();
        JsonMapper mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonParser.Feature.ALLOW_COMMENTS)
                .addModule(WireNames.module())
                .build();
        // "5" is not a number and 5 is not a string: refuse every cross-type coercion.
        for (LogicalType type : new LogicalType[] {LogicalType.Textual, LogicalType.Integer, LogicalType.Float,
                LogicalType.Boolean}) {
            var config = mapper.coercionConfigFor(type);
            for (CoercionInputShape shape : CoercionInputShape.values()) {
                config.setCoercion(shape, CoercionAction.Fail);
            }
        }
        // ...but 2 is a number where a fractional one is allowed (a retry factor, a delay in seconds).
        mapper.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert);
        return mapper;
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A wire record as a JSON tree, for a command that adds fields of its own before printing it. */
    public static ObjectNode tree(Object record) {
        return MAPPER.valueToTree(record);
    }

    public static String text(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.runledger.core.internal.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.runledger.api.JsonDepth;
import java.io.UncheckedIOException;

/** The engine's one JSON mapper and the conversions the store needs. */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder(storedDepthFactory())
            .findAndAddModules()
            .build();

    /** Sorted keys: equal JSON values always print the same, for request hashes. */
    private static final ObjectMapper CANONICAL = JsonMapper.builder(storedDepthFactory())
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private static JsonFactory storedDepthFactory() {
        // Buffers from one bounded pool shared by every thread, not Jackson's default of one
        // set per thread: requests run on virtual threads, and a per-thread set would be
        // allocated anew by each short one and kept for the life of each long one (an open
        // stream holds its thread for hours: ~20 KB of char buffers each).
        return JsonFactory.builder()
                .recyclerPool(JsonRecyclerPools.sharedBoundedPool())
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(JsonDepth.MAX_STORED).build())
                .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(JsonDepth.MAX_STORED).build())
                .build();
    }

    private Json() {
    }

    public static String write(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JSON text with object keys sorted at every depth. */
    public static String canonical(JsonNode node) {
        try {
            Object plain = MAPPER.treeToValue(node == null ? NullNode.getInstance() : node, Object.class);
            return CANONICAL.writeValueAsString(plain);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode read(String text) {
        if (text == null) {
            return null;
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}

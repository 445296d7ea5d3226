package io.runledger.core.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.AllowSchemaLoader;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidInputException;
import io.runledger.core.internal.store.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** JSON Schema (2020-12 unless the schema says otherwise) checks of service inputs. */
public final class InputSchemas {
    private static final int CACHE_SIZE = 256;

    /**
     * Only the bundled meta-schemas (which the library maps to {@code classpath:draft...}) may
     * be loaded. A {@code $ref} to any other URI is refused: it would make the server fetch a
     * URL of the caller's choosing (http, file, ...) while validating an input.
     */
    private static final String BUNDLED = "classpath:draft";

    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            b -> b.schemaLoaders(loaders -> loaders.add(
                    new AllowSchemaLoader(iri -> iri.toString().startsWith(BUNDLED)))));
    private final JsonSchema metaSchema = factory.getSchema(SchemaLocation.of(SchemaId.V202012));
    private final Map<String, JsonSchema> cache = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, JsonSchema> eldest) {
                    return size() > CACHE_SIZE;
                }
            });

    /** Refuses a schema that is not itself a valid JSON Schema document. */
    public void requireValidSchema(JsonNode schema) {
        if (schema == null || schema.isNull()) {
            return;
        }
        if (!schema.isObject() && !schema.isBoolean()) {
            throw new InvalidArgumentException("inputSchema must be a JSON Schema object");
        }
        Set<ValidationMessage> problems = metaSchema.validate(schema);
        if (!problems.isEmpty()) {
            throw new InvalidArgumentException("inputSchema is not a valid JSON Schema: "
                    + problems.stream().map(ValidationMessage::getMessage).sorted().toList());
        }
        compile(schema);
    }

    /** The problems of {@code input} against {@code schema}; empty if it conforms or there is no schema. */
    public List<String> problems(JsonNode schema, JsonNode input) {
        if (schema == null || schema.isNull()) {
            return List.of();
        }
        JsonNode value = input == null ? Json.MAPPER.nullNode() : input;
        JsonSchema compiled = compile(schema);
        try {
            return compiled.validate(value).stream().map(ValidationMessage::getMessage).sorted().toList();
        } catch (RuntimeException e) {
            // A schema stored before refs were checked at definition time; the caller's
            // input is not at fault, but neither is this an outage.
            throw new InvalidArgumentException("the service's inputSchema cannot be applied: " + e.getMessage());
        }
    }

    public void requireValid(JsonNode schema, JsonNode input) {
        List<String> problems = problems(schema, input);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
    }

    private JsonSchema compile(JsonNode schema) {
        String key = Json.canonical(schema);
        JsonSchema compiled = cache.get(key);
        if (compiled == null) {
            try {
                compiled = factory.getSchema(schema);
                // Resolve every $ref now, so a schema that cannot be applied is refused when
                // the service is defined, not found out by a trigger.
                compiled.initializeValidators();
            } catch (RuntimeException e) {
                throw new InvalidArgumentException("inputSchema cannot be compiled: " + e.getMessage());
            }
            cache.put(key, compiled);
        }
        return compiled;
    }
}

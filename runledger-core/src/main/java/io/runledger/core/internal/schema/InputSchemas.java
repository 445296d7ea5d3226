package io.runledger.core.internal.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
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

    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaLoaders(loaders -> loaders.add(new NoFetchSchemaLoader())));
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
        SchemaReferences.requireSelfContained(schema);
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
            // Only a schema stored before references were checked can get here (its loader
            // refuses to fetch): the service must be registered again, the caller did nothing wrong.
            throw unusable(e);
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
            // Checked again here, not only at registration, for schemas stored before the check.
            SchemaReferences.requireSelfContained(schema);
            try {
                compiled = factory.getSchema(schema);
                // The library resolves references lazily; resolve them now, so a schema that
                // cannot be used is refused when it is registered, not at the first trigger.
                compiled.initializeValidators();
            } catch (RuntimeException e) {
                throw unusable(e);
            }
            cache.put(key, compiled);
        }
        return compiled;
    }

    private static InvalidArgumentException unusable(RuntimeException e) {
        return new InvalidArgumentException("inputSchema cannot be used: " + e.getMessage());
    }
}

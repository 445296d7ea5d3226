package io.runledger.core.internal.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.InvalidArgumentException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The reference policy of service input schemas: a schema may only refer to places inside
 * itself ({@code "#..."}, or an {@code $id} it declares) and name one of the built-in
 * meta-schemas in {@code $schema}. Anything else would make the server fetch a URL or read a
 * file chosen by a tenant (and echo what it found in validation messages), so it is refused
 * before the schema is stored. {@link InputSchemas} also compiles with a loader that fetches
 * nothing, so a schema stored before this check existed cannot reach out either.
 */
final class SchemaReferences {
    /** The meta-schemas the validator ships; {@code $schema} may name these and nothing else. */
    static final Set<String> META_SCHEMAS = Set.of(
            "https://json-schema.org/draft/2020-12/schema",
            "https://json-schema.org/draft/2019-09/schema",
            "http://json-schema.org/draft-07/schema",
            "http://json-schema.org/draft-06/schema",
            "http://json-schema.org/draft-04/schema");

    private static final Set<String> REFERENCE_KEYWORDS = Set.of("$ref", "$dynamicRef", "$recursiveRef");
    /** Keywords whose values are instance data, not subschemas: a "$ref" in them is just data. */
    private static final Set<String> DATA_KEYWORDS = Set.of("enum", "const", "default", "examples");
    /** Keywords whose value maps names to subschemas: a key there is a name, never a keyword. */
    private static final Set<String> NAME_MAPS = Set.of("properties", "patternProperties", "$defs", "definitions",
            "dependentSchemas", "dependencies");
    private static final int MAX_REFERENCE_LENGTH = 2_048;

    private SchemaReferences() {
    }

    /** Refuses the schema with {@code invalid_argument} if it names anything outside itself. */
    static void requireSelfContained(JsonNode schema) {
        Set<String> ids = new HashSet<>();
        walk(schema, true, (key, value, root) -> {
            if (key.equals("$id")) {
                ids.add(withoutFragment(value));
            }
        });
        walk(schema, true, (key, value, root) -> {
            if (REFERENCE_KEYWORDS.contains(key)) {
                requireInternal(key, value, ids);
            } else if (key.equals("$schema")) {
                requireMetaSchema(value, root);
            }
        });
    }

    private interface KeywordVisitor {
        void visit(String keyword, String value, boolean root);
    }

    /** Visits every textual keyword of every subschema, skipping data and property names. */
    private static void walk(JsonNode schema, boolean root, KeywordVisitor visitor) {
        if (schema.isArray()) {
            schema.forEach(child -> walk(child, false, visitor));
            return;
        }
        if (!schema.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> e : schema.properties()) {
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (DATA_KEYWORDS.contains(key)) {
                continue;
            }
            if (value.isTextual()) {
                visitor.visit(key, value.asText(), root);
            } else if (NAME_MAPS.contains(key) && value.isObject()) {
                value.forEach(subschema -> walk(subschema, false, visitor));
            } else {
                walk(value, false, visitor);
            }
        }
    }

    private static void requireInternal(String keyword, String reference, Set<String> ids) {
        if (reference.length() > MAX_REFERENCE_LENGTH) {
            throw new InvalidArgumentException("inputSchema: a " + keyword + " is longer than "
                    + MAX_REFERENCE_LENGTH + " characters");
        }
        if (reference.startsWith("#") || (!reference.isEmpty() && ids.contains(withoutFragment(reference)))) {
            return;
        }
        throw new InvalidArgumentException("inputSchema: " + keyword + " \"" + reference
                + "\" points outside the schema; only references inside the same document (\"#...\","
                + " or an $id the schema declares) are allowed");
    }

    private static void requireMetaSchema(String uri, boolean root) {
        String base = uri.endsWith("#") ? uri.substring(0, uri.length() - 1) : uri;
        if (!META_SCHEMAS.contains(base)) {
            throw new InvalidArgumentException("inputSchema: $schema \"" + uri
                    + "\" is not a built-in meta-schema; use one of " + META_SCHEMAS.stream().sorted().toList());
        }
        if (!root) {
            // A nested $schema switches dialects mid-document, which the validator resolves
            // as a separate resource; nothing legitimate needs it in an input schema.
            throw new InvalidArgumentException("inputSchema: $schema is only allowed at the top level");
        }
    }

    private static String withoutFragment(String uri) {
        int hash = uri.indexOf('#');
        return hash < 0 ? uri : uri.substring(0, hash);
    }
}

package io.runledger.server.ops;

import com.fasterxml.classmate.ResolvedType;
import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaBuilder;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.generator.impl.PropertySortUtils;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import io.runledger.server.http.ServerJson;
import io.runledger.server.wire.Each;
import io.runledger.server.wire.Nullable;
import io.runledger.server.wire.OneOf;
import io.runledger.server.wire.Range;
import io.runledger.server.wire.Required;
import io.runledger.server.wire.Timestamp;
import io.runledger.server.wire.WireNames;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The document's schemas, generated (JSON Schema 2020-12, as OpenAPI 3.1 uses) from the
 * records the server reads and writes: answers from {@code io.runledger.server.wire}, request
 * bodies from each route's body record. What the annotations and the Jackson spelling say is
 * what the schema says:
 * <ul>
 * <li>an answer's field is required (always written) unless {@code @JsonInclude(NON_NULL)};
 *     a request's only with {@link Required};</li>
 * <li>a field may be null only with {@link Nullable};</li>
 * <li>a request body allows no other field (the server refuses unknown fields); an answer
 *     may gain fields;</li>
 * <li>an enum is its wire names, an {@link Instant} a {@code date-time}, a {@link JsonNode}
 *     any JSON value, {@link OneOf} and {@link Range} bound a field.</li>
 * </ul>
 * A schema is named after its record without the {@code View} suffix; a generic record after
 * its type argument ({@code PageView<RunView>} is {@code RunPage}).
 */
final class ApiSchemas {
    private static final String SUFFIX = "View";
    private static final String ALL_OF = "allOf";

    private final SchemaBuilder answers = generator(false).buildMultipleSchemaDefinitions();
    private final SchemaBuilder bodies = generator(true).buildMultipleSchemaDefinitions();
    private final List<ObjectNode> composites = new ArrayList<>();

    /** A reference to the schema of an answer record. */
    ObjectNode answer(Type type) {
        return answers.createSchemaReference(type);
    }

    /** A reference to the schema of a request body record. */
    ObjectNode body(Type type) {
        return bodies.createSchemaReference(type);
    }

    /**
     * A request body whose fields are those of all these records (the server takes it apart
     * into them, e.g. a child's fence and its trigger body); filled in by {@link #definitions}.
     */
    ObjectNode body(List<Type> parts) {
        if (parts.size() == 1) {
            return body(parts.getFirst());
        }
        ObjectNode merged = ServerJson.MAPPER.createObjectNode();
        ArrayNode refs = merged.putArray(ALL_OF);
        parts.forEach(p -> refs.add(body(p)));
        composites.add(merged);
        return merged;
    }

    /**
     * Every schema referenced so far, by name. Call once, after the last reference: the
     * references are completed only here.
     */
    ObjectNode definitions() {
        Map<String, JsonNode> all = new TreeMap<>();
        for (ObjectNode defs : List.of(answers.collectDefinitions(ApiDocument.SCHEMAS_PATH),
                bodies.collectDefinitions(ApiDocument.SCHEMAS_PATH))) {
            defs.properties().forEach(e -> {
                JsonNode before = all.putIfAbsent(e.getKey(), e.getValue());
                if (before != null && !before.equals(e.getValue())) {
                    throw new IllegalStateException("two different schemas are named " + e.getKey()
                            + ": rename one of their records");
                }
            });
        }
        ObjectNode out = ServerJson.MAPPER.createObjectNode();
        all.forEach(out::set);
        composites.forEach(c -> merge(c, out));
        return out;
    }

    /** One object of every field of the referenced bodies, refusing any other (as the server does). */
    private static void merge(ObjectNode composite, ObjectNode definitions) {
        ObjectNode properties = ServerJson.MAPPER.createObjectNode();
        Set<String> required = new LinkedHashSet<>();
        for (JsonNode part : composite.remove(ALL_OF)) {
            String ref = part.get("$ref").asText();
            JsonNode def = definitions.get(ref.substring(ref.lastIndexOf('/') + 1));
            def.path("properties").properties().forEach(e -> properties.set(e.getKey(), e.getValue()));
            def.path("required").forEach(r -> required.add(r.asText()));
        }
        composite.put("type", "object");
        composite.set("properties", properties);
        if (!required.isEmpty()) {
            required.forEach(composite.putArray("required")::add);
        }
        composite.put("additionalProperties", false);
    }

    private static SchemaGenerator generator(boolean requests) {
        SchemaGeneratorConfigBuilder b = new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12,
                OptionPreset.PLAIN_JSON)
                .with(new JacksonModule())
                .with(Option.DEFINITIONS_FOR_ALL_OBJECTS, Option.EXTRA_OPEN_API_FORMAT_VALUES,
                        Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES, Option.PLAIN_DEFINITION_KEYS,
                        Option.INLINE_NULLABLE_SCHEMAS)
                .without(Option.SCHEMA_VERSION_INDICATOR);
        if (requests) {
            b.with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT);
        }
        var types = b.forTypesInGeneral();
        types.withPropertySorter(PropertySortUtils.SORT_PROPERTIES_FIELDS_BEFORE_METHODS);
        types.withDefinitionNamingStrategy((key, context) -> name(key.getType()));
        types.withCustomDefinitionProvider((javaType, context) -> {
            Class<?> raw = javaType.getErasedType();
            if (JsonNode.class.isAssignableFrom(raw)) {
                // any JSON value, null included: nothing of an object's rules applies
                return new CustomDefinition(context.getGeneratorConfig().createObjectNode(),
                        CustomDefinition.DefinitionType.INLINE, CustomDefinition.AttributeInclusion.NO);
            }
            if (Map.class.isAssignableFrom(raw)) {
                // by key, inline: a map has no name of its own
                ObjectNode node = context.getGeneratorConfig().createObjectNode().put("type", "object");
                node.set("additionalProperties", context.createDefinitionReference(
                        javaType.typeParametersFor(Map.class).get(1)));
                return new CustomDefinition(node, CustomDefinition.DefinitionType.INLINE,
                        CustomDefinition.AttributeInclusion.NO);
            }
            if (raw == Instant.class) {
                return new CustomDefinition(context.getGeneratorConfig().createObjectNode().put("type", "string")
                        .put("format", "date-time"), CustomDefinition.DefinitionType.INLINE,
                        CustomDefinition.AttributeInclusion.YES);
            }
            if (WireNames.hasWireName(raw)) {
                ObjectNode node = context.getGeneratorConfig().createObjectNode().put("type", "string");
                @SuppressWarnings("unchecked")
                List<String> names = WireNames.all((Class<? extends Enum<?>>) raw);
                names.forEach(node.putArray("enum")::add);
                return new CustomDefinition(node, CustomDefinition.DefinitionType.STANDARD,
                        CustomDefinition.AttributeInclusion.YES);
            }
            return null;
        });
        // A problem document's extension members: any other property.
        types.withAdditionalPropertiesResolver((scope, context) -> hasAnyGetter(scope.getType().getErasedType())
                ? context.getGeneratorConfig().createObjectNode() : null);
        var fields = b.forFields();
        fields.withTargetTypeOverridesResolver(f -> {
            Each each = f.getAnnotationConsideringFieldAndGetter(Each.class);
            return each == null || f.isFakeContainerItemScope() ? null
                    : List.of(f.getContext().resolve(List.class, each.value()));
        });
        fields.withIgnoreCheck(f -> f.getAnnotationConsideringFieldAndGetter(JsonAnyGetter.class) != null);
        fields.withNullableCheck(f -> f.getAnnotationConsideringFieldAndGetter(Nullable.class) != null
                && !JsonNode.class.isAssignableFrom(f.getType().getErasedType()));
        fields.withRequiredCheck(requests
                ? f -> f.getAnnotationConsideringFieldAndGetter(Required.class) != null
                : f -> !omittedWhenNull(f));
        fields.withEnumResolver(ApiSchemas::oneOf);
        fields.withStringFormatResolver(f -> f.getAnnotationConsideringFieldAndGetter(Timestamp.class) == null
                ? null : "date-time");
        fields.withNumberInclusiveMinimumResolver(f -> bound(f, true));
        fields.withNumberInclusiveMaximumResolver(f -> bound(f, false));
        fields.withArrayMinItemsResolver(f -> count(f, true));
        fields.withArrayMaxItemsResolver(f -> count(f, false));
        return new SchemaGenerator(b.build());
    }

    private static boolean hasAnyGetter(Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        return components != null && Arrays.stream(components)
                .anyMatch(c -> c.getAccessor().isAnnotationPresent(JsonAnyGetter.class));
    }

    static String name(ResolvedType type) {
        String raw = type.getErasedType().getSimpleName();
        String base = raw.endsWith(SUFFIX) ? raw.substring(0, raw.length() - SUFFIX.length()) : raw;
        List<ResolvedType> params = type.getTypeParameters();
        return params.isEmpty() ? base : name(params.getFirst()) + base;
    }

    private static boolean omittedWhenNull(FieldScope f) {
        JsonInclude include = f.getAnnotationConsideringFieldAndGetter(JsonInclude.class);
        return include != null && include.value() != JsonInclude.Include.ALWAYS
                && include.value() != JsonInclude.Include.USE_DEFAULTS;
    }

    private static Collection<?> oneOf(FieldScope f) {
        OneOf a = f.getAnnotationConsideringFieldAndGetter(OneOf.class);
        if (a == null || f.isFakeContainerItemScope()) {
            return null;
        }
        return a.of() == OneOf.None.class ? List.of(a.value()) : WireNames.all(a.of());
    }

    private static BigDecimal bound(FieldScope f, boolean min) {
        Range r = f.getAnnotationConsideringFieldAndGetter(Range.class);
        if (r == null || f.isContainerType() || f.isFakeContainerItemScope()) {
            return null;
        }
        long v = min ? r.min() : r.max();
        return v == (min ? Long.MIN_VALUE : Long.MAX_VALUE) ? null : BigDecimal.valueOf(v);
    }

    private static Integer count(FieldScope f, boolean min) {
        Range r = f.getAnnotationConsideringFieldAndGetter(Range.class);
        if (r == null || !f.isContainerType() || f.isFakeContainerItemScope()) {
            return null;
        }
        long v = min ? r.min() : r.max();
        return v == (min ? Long.MIN_VALUE : Long.MAX_VALUE) ? null : (int) v;
    }
}

package io.runledger.server.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.runledger.server.testing.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks real answers against {@code /openapi.json}: for the operation a request matched, the
 * status must be documented, the media type too, and the body must validate against the
 * documented schema (JSON Schema 2020-12, formats asserted). Validation is stricter than the
 * document: an object may hold no property the schema does not name (the document lets answers
 * gain fields; this test makes sure none is sent undocumented). Event streams and JSON Lines are
 * checked event by event against their {@code x-item-schema}.
 */
final class DocumentedApi {
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true).build();
    private static final String COMPONENTS = "#/components/schemas/";
    private static final String DEFS = "#/$defs/";
    /** The headers the API defines; when an answer carries one, its operation must document it. */
    private static final List<String> API_HEADERS = List.of("Location", "Content-Location", "Idempotent-Replayed",
            "Retry-After", "Content-Disposition");

    private final JsonNode doc;
    private final ObjectNode defs;
    private final List<Template> templates = new ArrayList<>();
    private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();
    private final Set<String> checked = new TreeSet<>();

    private record Template(String path, Pattern pattern) {
    }

    DocumentedApi(JsonNode doc) {
        this.doc = doc;
        this.defs = (ObjectNode) strict(rewriteRefs(doc.get("components").get("schemas").deepCopy()));
        doc.get("paths").fieldNames().forEachRemaining(path -> templates.add(new Template(path,
                Pattern.compile(Pattern.quote(path).replaceAll("\\{\\w+}", "\\\\E[^/]+\\\\Q")))));
    }

    /** Checks {@code reply} to {@code method path} against the document; returns it. */
    Http.Reply check(String method, String path, Http.Reply reply) {
        String template = template(path);
        String m = method.toLowerCase(Locale.ROOT);
        JsonNode op = doc.get("paths").get(template).get(m);
        assertThat(op).as("%s %s is documented", method, template).isNotNull();
        String where = method + " " + template + " -> " + reply.status();
        JsonNode answer = op.get("responses").get(String.valueOf(reply.status()));
        assertThat(answer).as("%s is a documented status (%s)", where, reply).isNotNull();
        for (String header : API_HEADERS) {
            if (reply.header(header) != null) {
                assertThat(answer.path("headers").has(header)).as("%s documents its %s header", where, header)
                        .isTrue();
            }
        }
        synchronized (checked) {
            checked.add(m + " " + template + " " + reply.status());
        }
        if (!answer.has("content")) {
            assertThat(reply.response().body()).as("%s has no content", where).isEmpty();
            return reply;
        }
        String type = reply.header("Content-Type");
        assertThat(type).as("%s has a content type", where).isNotNull();
        String base = baseType(type);
        JsonNode media = null;
        for (var e : answer.get("content").properties()) {
            if (baseType(e.getKey()).equals(base)) {
                media = e.getValue();
            }
        }
        assertThat(media).as("%s documents the media type %s", where, type).isNotNull();
        String body = reply.response().body();
        if (media.has("x-item-schema")) {
            for (JsonNode item : items(base, body)) {
                validate(where + " item", media.get("x-item-schema"), item);
            }
        } else if (base.endsWith("json")) {
            validate(where, media.get("schema"), reply.json());
        } else {
            assertThat(media.get("schema").get("type").asText()).isEqualTo("string");
        }
        return reply;
    }

    /** {@code method template status} of every answer checked so far. */
    Set<String> checked() {
        synchronized (checked) {
            return new TreeSet<>(checked);
        }
    }

    /** {@code method template} of every documented operation. */
    Set<String> operations() {
        Set<String> all = new TreeSet<>();
        doc.get("paths").properties().forEach(p -> p.getValue().fieldNames()
                .forEachRemaining(m -> all.add(m + " " + p.getKey())));
        return all;
    }

    private String template(String path) {
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        List<String> matches = templates.stream().filter(t -> t.pattern().matcher(bare).matches())
                .map(Template::path).toList();
        assertThat(matches).as("exactly one documented path matches %s", bare).hasSize(1);
        return matches.getFirst();
    }

    private void validate(String where, JsonNode schema, JsonNode value) {
        String key = schema.toString();
        JsonSchema s = compiled.computeIfAbsent(key, k -> {
            ObjectNode root = (ObjectNode) strict(rewriteRefs(schema.deepCopy()));
            root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            root.set("$defs", defs);
            return FACTORY.getSchema(root, CONFIG);
        });
        Set<ValidationMessage> problems = s.validate(value);
        assertThat(problems).as("%s: %s validates against %s", where, value, schema).isEmpty();
    }

    private static List<JsonNode> items(String type, String body) {
        List<JsonNode> items = new ArrayList<>();
        try {
            for (String line : body.split("\n")) {
                if (type.equals("text/event-stream") && line.startsWith("data: ")) {
                    items.add(Http.JSON.readTree(line.substring("data: ".length())));
                } else if (type.equals("application/x-ndjson") && !line.isBlank()) {
                    items.add(Http.JSON.readTree(line));
                }
            }
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
        return items;
    }

    private static String baseType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    private static JsonNode rewriteRefs(JsonNode node) {
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            if (o.has("$ref") && o.get("$ref").asText().startsWith(COMPONENTS)) {
                o.put("$ref", DEFS + o.get("$ref").asText().substring(COMPONENTS.length()));
            }
            o.forEach(DocumentedApi::rewriteRefs);
        } else if (node.isArray()) {
            node.forEach(DocumentedApi::rewriteRefs);
        }
        return node;
    }

    /** Every object schema that names its properties and says nothing of others refuses others. */
    private static JsonNode strict(JsonNode node) {
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            if (o.has("properties") && !o.has("additionalProperties")) {
                o.put("unevaluatedProperties", false);
            }
            o.forEach(DocumentedApi::strict);
        } else if (node.isArray()) {
            node.forEach(DocumentedApi::strict);
        }
        return node;
    }
}

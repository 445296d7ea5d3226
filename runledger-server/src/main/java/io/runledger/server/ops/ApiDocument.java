package io.runledger.server.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.server.http.ServerJson;
import io.runledger.server.wire.ProblemView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OpenAPI 3.1 description of the API, served at {@code /openapi.json} and rendered at
 * {@code /docs}: the operations of {@link ApiOperations}, with schemas generated from the
 * records the server reads and writes ({@link ApiSchemas}).
 */
public final class ApiDocument {
    static final String SCHEMAS_PATH = "components/schemas";
    static final String HEADERS_PATH = "#/components/headers/";
    static final String BEARER = "bearer";
    static final String RUN_ACCESS_TOKEN = "runAccessToken";
    static final String RETRY_AFTER = "Retry-After";
    static final String PROBLEM_REF = "#/" + SCHEMAS_PATH + "/Problem";
    private static final Map<String, String> TAGS = Map.of(
            ApiOperations.ADMIN, "Scopes and their keys (admin key), services and their queues",
            ApiOperations.RUNS, "Trigger, list, read, wait on, stream, signal, cancel and replay runs",
            ApiOperations.WORKERS, "Lease runs and execute them: heartbeats, events, steps, outcomes",
            ApiOperations.WAITPOINTS, "Tokens a run waits on, completed by a call or a callback URL",
            ApiOperations.BULK, "Cancel or replay every run a filter matches",
            ApiOperations.WEBHOOKS, "Deliveries of a scope's events to HTTP endpoints",
            ApiOperations.SCHEDULES, "Cron schedules that trigger runs",
            ApiOperations.OPERATIONS, "Health, metrics and this document");

    private ApiDocument() {
    }

    public static ObjectNode build() {
        ApiSchemas schemas = new ApiSchemas();
        ObjectNode doc = ServerJson.MAPPER.createObjectNode();
        doc.put("openapi", "3.1.0");
        doc.putObject("info").put("title", "RunLedger HTTP API").put("version", "1")
                .put("description", "A durable run control plane: trigger runs and get an honest receipt, lease"
                        + " and execute them with workers, and read, wait on, stream and stop them. Every"
                        + " refusal is an RFC 9457 problem document with a stable code.");
        // Relative: the server this document was read from.
        doc.putArray("servers").addObject().put("url", "/").put("description", "This server");
        doc.putArray("security").addObject().putArray(BEARER);
        ObjectNode tags = ServerJson.MAPPER.createObjectNode();
        ObjectNode paths = doc.putObject("paths");
        for (ApiOperation op : ApiOperations.ALL) {
            ObjectNode item = paths.has(op.path) ? (ObjectNode) paths.get(op.path) : paths.putObject(op.path);
            if (item.has(op.method)) {
                throw new IllegalStateException("documented twice: " + op.method + " " + op.path);
            }
            item.set(op.method, op.toJson(schemas));
            tags.put(op.tag, true);
        }
        var tagList = doc.putArray("tags");
        tags.fieldNames().forEachRemaining(t -> tagList.addObject().put("name", t)
                .put("description", TAGS.getOrDefault(t, t)));
        ObjectNode components = doc.putObject("components");
        schemas.answer(ProblemView.class); // the schema every refusal references
        components.set("schemas", schemas.definitions());
        ObjectNode securitySchemes = components.putObject("securitySchemes");
        securitySchemes.putObject(BEARER).put("type", "http").put("scheme", "bearer")
                .put("description", "The admin key, a key of the scope, a run access token (for reading its"
                        + " run), or (for /metrics) the metrics token");
        securitySchemes.putObject(RUN_ACCESS_TOKEN).put("type", "apiKey").put("in", "query")
                .put("name", "access_token")
                .put("description", "A run access token (POST .../runs/{runId}/access-tokens) in the query,"
                        + " for a browser's EventSource, which cannot send headers; it reads only its run");
        components.set("headers", headers());
        dropUnused(doc);
        return doc;
    }

    private static ObjectNode headers() {
        ObjectNode h = ServerJson.MAPPER.createObjectNode();
        header(h, ApiOperations.LOCATION, "The URL of what was created", "string");
        header(h, ApiOperations.CONTENT_LOCATION, "The URL of the run being streamed", "string");
        header(h, ApiOperations.REPLAYED, "true: an idempotency key named what existed; nothing new was written",
                "string").putArray("enum").add("true");
        header(h, ApiOperations.CONTENT_DISPOSITION, "attachment; filename=\"<runId>.jsonl\"", "string");
        header(h, RETRY_AFTER, "Seconds to wait before trying again", "integer");
        return h;
    }

    private static ObjectNode header(ObjectNode headers, String name, String description, String type) {
        return headers.putObject(name).put("description", description).putObject("schema").put("type", type);
    }

    /** Removes the schemas nothing references (the parts a composed body was merged from). */
    private static void dropUnused(ObjectNode doc) {
        ObjectNode schemas = (ObjectNode) doc.get("components").get("schemas");
        while (true) {
            Set<String> used = new HashSet<>();
            collectRefs(doc, used);
            List<String> unused = new ArrayList<>();
            schemas.fieldNames().forEachRemaining(n -> {
                if (!used.contains("#/" + SCHEMAS_PATH + "/" + n)) {
                    unused.add(n);
                }
            });
            if (unused.isEmpty()) {
                return;
            }
            schemas.remove(unused);
        }
    }

    private static void collectRefs(JsonNode node, Set<String> refs) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, refs));
        }
    }
}

package io.runledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.agentprotocol.ApPaths;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import io.runledger.server.ops.DocsRoutes;
import io.runledger.server.ui.ObserveRoutes;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code /openapi.json} documents exactly the routes the server registers. */
class OpenApiTest extends ServerTestBase {

    @Test
    void everyRegisteredRouteIsDocumentedAndNothingElse() {
        Http.Reply r = api.get("/openapi.json");
        assertThat(r.status()).isEqualTo(200);
        JsonNode doc = r.json();
        assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");

        Set<String> registered = new HashSet<>();
        for (RunLedgerServer.Route route : server.server.routes()) {
            if (ObserveRoutes.PATHS.contains(route.path()) || DocsRoutes.PATHS.contains(route.path())) {
                continue; // the web UI's and the API reference's pages and files, not API operations
            }
            if (route.path().startsWith(ApPaths.PREFIX + "/")) {
                continue; // the Agent Protocol layer, documented in docs/agent-protocol.md
            }
            registered.add(route.method().toLowerCase(Locale.ROOT) + " " + route.path());
        }
        Set<String> documented = new HashSet<>();
        for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
            path.getValue().fieldNames().forEachRemaining(m -> documented.add(m + " " + path.getKey()));
        }
        assertThat(registered).hasSizeGreaterThanOrEqualTo(20);
        assertThat(documented).containsExactlyInAnyOrderElementsOf(registered);
    }

    @Test
    void operationsDescribeTheirParametersAndProblems() {
        JsonNode op = api.get("/openapi.json").json().get("paths").get("/v1/scopes/{scope}/runs/{runId}").get("get");
        assertThat(op.get("parameters")).extracting(p -> p.get("name").asText()).containsExactly("scope", "runId");
        assertThat(op.get("responses").get("default").get("content").has("application/problem+json")).isTrue();
    }

    @Test
    void orchestrationOperationsHaveTheirSchemasAndOnlyTheCallbackIsKeyless() {
        JsonNode doc = api.get("/openapi.json").json();
        JsonNode paths = doc.get("paths");
        JsonNode callback = paths.get("/v1/callbacks/{secret}").get("post");
        assertThat(callback.get("security")).as("public: no key").isEmpty();
        assertThat(callback.get("responses").get("200").get("content").get("application/json").get("schema")
                .get("$ref").asText()).isEqualTo("#/components/schemas/CallbackAnswer");
        JsonNode suspend = paths.get("/v1/scopes/{scope}/runs/{runId}/suspend").get("post");
        assertThat(suspend.get("security")).isNotEmpty();
        JsonNode schemas = doc.get("components").get("schemas");
        assertThat(bodySchema(doc, suspend).get("properties").get("waitpoints").get("items").get("$ref").asText())
                .isEqualTo("#/components/schemas/WaitpointRefBody");
        assertThat(schemas.get("WaitpointRefBody").get("properties").get("kind").get("enum"))
                .extracting(JsonNode::asText).containsExactly("duration", "token", "run", "batch");
        JsonNode trigger = paths.get("/v1/scopes/{scope}/services/{service}/runs").get("post");
        assertThat(bodySchema(doc, trigger).get("properties").get("retry").get("$ref").asText())
                .isEqualTo("#/components/schemas/RetryPolicy");
        for (String keyless : new String[] {"/health/live", "/health/ready", "/openapi.json"}) {
            assertThat(paths.get(keyless).get("get").get("security")).as(keyless).isEmpty();
        }
        paths.properties().forEach(path -> path.getValue().properties().forEach(method -> {
            JsonNode security = method.getValue().get("security");
            assertThat(security).as("every operation says who may call it: " + method.getKey() + " " + path.getKey())
                    .isNotNull();
            if (!path.getKey().startsWith("/v1/callbacks/") && path.getKey().startsWith("/v1/")) {
                assertThat(security).as(method.getKey() + " " + path.getKey()).isNotEmpty();
            }
        }));
        JsonNode run = schemas.get("Run").get("properties");
        assertThat(run.has("rootRunId")).isTrue();
        assertThat(run.has("replayOf")).isTrue();
        assertThat(run.has("lastEventAt")).isTrue();
        assertThat(paths.get("/v1/scopes/{scope}/runs").get("get").get("parameters")).extracting(p -> p.get("name").asText())
                .contains("health", "stuckAfterSeconds", "silentForSeconds");
        assertThat(schemas.get("Lease").get("properties").has("resumed")).isTrue();
        // every reference names a schema (or header) the document defines
        JsonNode headers = doc.get("components").get("headers");
        Set<String> refs = new HashSet<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty().allSatisfy(ref -> assertThat((ref.startsWith("#/components/headers/") ? headers
                : schemas).has(ref.substring(ref.lastIndexOf('/') + 1))).as(ref).isTrue());
    }

    @Test
    void typesAreTheWireTypes() {
        JsonNode doc = api.get("/openapi.json").json();
        JsonNode schemas = doc.get("components").get("schemas");
        JsonNode run = schemas.get("Run");
        assertThat(schemas.get("RunStatus").get("enum")).extracting(JsonNode::asText).containsExactly("accepted",
                "scheduled", "running", "waiting", "succeeded", "failed", "cancelled", "expired");
        assertThat(run.get("properties").get("status").get("$ref").asText()).endsWith("/RunStatus");
        assertThat(run.get("properties").get("createdAt").get("format").asText()).isEqualTo("date-time");
        assertThat(run.get("properties").get("finishedAt").get("type")).extracting(JsonNode::asText)
                .containsExactly("string", "null");
        assertThat(run.get("properties").get("lastSeq").get("format").asText()).isEqualTo("int64");
        assertThat(run.get("required")).extracting(JsonNode::asText).contains("runId", "status", "finishedAt");
        JsonNode list = doc.get("paths").get("/v1/scopes/{scope}/runs").get("get");
        JsonNode limit = null;
        for (JsonNode p : list.get("parameters")) {
            if (p.get("name").asText().equals("limit")) {
                limit = p.get("schema");
            }
        }
        assertThat(limit.get("type").asText()).isEqualTo("integer");
        assertThat(limit.get("minimum").asInt()).isEqualTo(1);
        assertThat(limit.get("maximum").asInt()).isEqualTo(200);
        JsonNode trigger = doc.get("paths").get("/v1/scopes/{scope}/services/{service}/runs").get("post");
        assertThat(trigger.get("responses").fieldNames()).toIterable().contains("200", "202", "400", "401", "404",
                "409", "413", "422");
        assertThat(trigger.get("responses").get("202").get("headers").has("Location")).isTrue();
        assertThat(trigger.get("responses").get("200").get("headers").has("Idempotent-Replayed")).isTrue();
        assertThat(trigger.get("responses").get("400").get("content").has("application/problem+json")).isTrue();
        assertThat(trigger.get("parameters")).extracting(p -> p.get("name").asText()).contains("Idempotency-Key");
        JsonNode events = doc.get("paths").get("/v1/scopes/{scope}/runs/{runId}/events").get("get");
        assertThat(events.get("responses").get("200").get("content").fieldNames()).toIterable()
                .containsExactly("application/json", "application/x-ndjson");
        JsonNode metrics = doc.get("paths").get("/metrics").get("get").get("responses").get("200").get("content");
        assertThat(metrics.fieldNames()).toIterable().containsExactly("text/plain; version=0.0.4");
        JsonNode stream = doc.get("paths").get("/v1/scopes/{scope}/runs/{runId}/stream").get("get");
        assertThat(stream.get("parameters")).extracting(p -> p.get("name").asText()).contains("Last-Event-ID");
        assertThat(stream.get("responses").get("429").get("headers").has("Retry-After")).isTrue();
    }

    /** The request body's schema, its reference followed. */
    private static JsonNode bodySchema(JsonNode doc, JsonNode operation) {
        JsonNode schema = operation.get("requestBody").get("content").get("application/json").get("schema");
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            return doc.get("components").get("schemas").get(ref.substring(ref.lastIndexOf('/') + 1));
        }
        return schema;
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

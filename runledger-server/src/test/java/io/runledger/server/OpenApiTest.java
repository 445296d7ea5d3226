package io.runledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.agentprotocol.ApPaths;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
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
            if (ObserveRoutes.PATHS.contains(route.path())) {
                continue; // the web UI's page and files, not API operations
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
        assertThat(callback.has("security")).isFalse();
        assertThat(callback.get("responses").get("200").get("content").get("application/json").get("schema")
                .get("$ref").asText()).isEqualTo("#/components/schemas/CallbackAnswer");
        JsonNode suspend = paths.get("/v1/scopes/{scope}/runs/{runId}/suspend").get("post");
        assertThat(suspend.has("security")).isTrue();
        assertThat(suspend.get("requestBody").get("content").get("application/json").get("schema").get("properties")
                .get("waitpoints").get("items").get("$ref").asText()).isEqualTo("#/components/schemas/WaitpointRef");
        JsonNode trigger = paths.get("/v1/scopes/{scope}/services/{service}/runs").get("post");
        assertThat(trigger.get("requestBody").get("content").get("application/json").get("schema").get("properties")
                .get("retry").get("$ref").asText()).isEqualTo("#/components/schemas/RetryPolicy");
        for (String keyless : new String[] {"/health/live", "/health/ready", "/openapi.json"}) {
            assertThat(paths.get(keyless).get("get").has("security")).isFalse();
        }
        paths.properties().forEach(path -> path.getValue().properties().forEach(method -> {
            if (!path.getKey().startsWith("/v1/callbacks/") && path.getKey().startsWith("/v1/")) {
                assertThat(method.getValue().has("security")).as(method.getKey() + " " + path.getKey()).isTrue();
            }
        }));
        JsonNode run = doc.get("components").get("schemas").get("Run").get("properties");
        assertThat(run.has("rootRunId")).isTrue();
        assertThat(run.has("replayOf")).isTrue();
        assertThat(run.has("lastEventAt")).isTrue();
        assertThat(paths.get("/v1/scopes/{scope}/runs").get("get").get("parameters")).extracting(p -> p.get("name").asText())
                .contains("health", "stuckAfterSeconds", "silentForSeconds");
        assertThat(doc.get("components").get("schemas").get("Lease").get("properties").has("resumed")).isTrue();
        // every reference names a schema the document defines
        JsonNode schemas = doc.get("components").get("schemas");
        Set<String> refs = new HashSet<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty().allSatisfy(ref -> assertThat(schemas.has(ref.substring(ref.lastIndexOf('/') + 1)))
                .as(ref).isTrue());
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

package io.runledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
}

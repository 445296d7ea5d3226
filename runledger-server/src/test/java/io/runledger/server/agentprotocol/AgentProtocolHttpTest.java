package io.runledger.server.agentprotocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.testing.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Agent Protocol layer's keys, assistants and threads: the protocol's shapes, its
 * refusals as problem documents with stable codes (nothing written), and scopes kept apart.
 */
class AgentProtocolHttpTest extends ApTestBase {

    @Test
    void aScopeKeyIsAcceptedAsXApiKeyOrBearerAndOtherScopesStayInvisible() {
        assertThat(new ApClient(server.server.url(), SCOPE, null).post("/assistants/search", "{}").code())
                .isEqualTo("unauthorized");
        assertThat(ap.post("/assistants/search", "{}").status()).isEqualTo(200);
        Http.Reply bearer = Http.send(ap.request("/assistants/search").header("Authorization", "Bearer " + key)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(bearer.status()).isEqualTo(200);
        assertThat(ap.send("POST", "/assistants/search", "{}", header("Authorization", "Bearer rlk_other")).code())
                .isEqualTo("invalid_argument");
        assertThat(new ApClient(server.server.url(), SCOPE, "rlk_nope").post("/threads", "{}").code())
                .isEqualTo("unauthorized");

        String thread = newThread().get("thread_id").asText();
        assertThat(api.put("/v1/scopes/other", null).status()).isEqualTo(201);
        String otherKey = api.post("/v1/scopes/other/keys", "{}").json().get("key").asText();
        // another scope's key on this scope's URL: as if the scope did not exist
        Http.Reply foreign = new ApClient(server.server.url(), SCOPE, otherKey).get("/threads/" + thread);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.code()).isEqualTo("scope_not_found");
        // this scope's thread id under the other scope: no such thread there
        Http.Reply elsewhere = new ApClient(server.server.url(), "other", otherKey).get("/threads/" + thread);
        assertThat(elsewhere.code()).isEqualTo("thread_not_found");
        assertThat(new ApClient(server.server.url(), "other", otherKey).post("/threads/search", "{}").json())
                .isEmpty();

        // a run access token reads one run through the runs API, nothing here
        String runId = createRun(thread, "{\"assistant_id\":\"work\"}").get("run_id").asText();
        String token = api.post(P + "/runs/" + runId + "/access-tokens", "{}").json().get("token").asText();
        Http.Reply withToken = new ApClient(server.server.url(), SCOPE, token).get("/threads/" + thread);
        assertThat(withToken.status()).isEqualTo(403);
        assertThat(withToken.code()).isEqualTo("forbidden");
    }

    @Test
    void assistantsAreTheScopesServices() {
        assertThat(api.put(P + "/services/chat", "{\"description\":\"talks\",\"inputSchema\":{\"type\":\"object\"}}")
                .status()).isEqualTo(200);
        Http.Reply all = ap.post("/assistants/search", "{\"limit\":10,\"offset\":0,\"sort_by\":\"name\",\"sort_order\":\"asc\"}");
        assertThat(all.status()).as(all.toString()).isEqualTo(200);
        assertThat(all.json()).extracting(a -> a.get("assistant_id").asText()).containsExactly("chat", "work");
        JsonNode chat = all.json().get(0);
        assertThat(chat.get("graph_id").asText()).isEqualTo("chat");
        assertThat(chat.get("name").asText()).isEqualTo("chat");
        assertThat(chat.get("description").asText()).isEqualTo("talks");
        assertThat(chat.get("version").asInt()).isEqualTo(1);
        assertThat(chat.has("created_at") && chat.has("updated_at") && chat.get("config").isObject()).isTrue();
        assertThat(all.header("X-Pagination-Next")).isNull();

        Http.Reply first = ap.post("/assistants/search", "{\"limit\":1,\"sort_by\":\"name\",\"sort_order\":\"asc\"}");
        assertThat(first.json()).hasSize(1);
        assertThat(first.header("X-Pagination-Next")).isEqualTo("1");
        assertThat(ap.post("/assistants/search", "{\"graph_id\":\"work\"}").json()).hasSize(1);
        assertThat(ap.post("/assistants/search", "{\"metadata\":{\"team\":\"x\"}}").json()).isEmpty();
        assertThat(ap.post("/assistants/count", "{}").json().asInt()).isEqualTo(2);

        assertThat(ap.get("/assistants/chat").json().get("assistant_id").asText()).isEqualTo("chat");
        assertThat(ap.get("/assistants/chat/schemas").json().get("input_schema").get("type").asText())
                .isEqualTo("object");
        assertThat(ap.get("/assistants/nope").code()).isEqualTo("service_not_found");
        assertThat(ap.get("/assistants/Bad%20Name").code()).isEqualTo("invalid_name");
        assertThat(ap.post("/assistants/search", "{\"limit\":0}").code()).isEqualTo("invalid_argument");
        assertThat(ap.post("/assistants/search", "{\"sort_by\":\"color\"}").code()).isEqualTo("invalid_argument");
        assertThat(ap.post("/assistants/search", "{\"colour\":1}").code()).isEqualTo("unknown_field");
        // assistants are managed as services: the protocol's writes are not served
        assertThat(ap.post("/assistants", "{\"graph_id\":\"work\"}").status()).isIn(404, 405);
    }

    @Test
    void threadsAreCreatedReadSearchedUpdatedAndDeleted() {
        Http.Reply created = ap.post("/threads", "{\"thread_id\":\"0190F3A8-5B2C-7D3E-8F40-123456789ABC\","
                + "\"metadata\":{\"user\":\"ann\"},\"if_exists\":\"raise\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        JsonNode t = created.json();
        String id = "0190f3a8-5b2c-7d3e-8f40-123456789abc";
        assertThat(t.get("thread_id").asText()).isEqualTo(id);
        assertThat(t.get("status").asText()).isEqualTo("idle");
        assertThat(t.get("metadata").get("user").asText()).isEqualTo("ann");
        assertThat(t.get("values").isNull()).isTrue();
        assertThat(t.get("interrupts").isEmpty()).isTrue();
        for (String field : new String[] {"created_at", "updated_at", "state_updated_at"}) {
            assertThat(t.get(field).asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
        }

        Http.Reply again = ap.post("/threads", "{\"thread_id\":\"" + id + "\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("thread_exists");
        Http.Reply kept = ap.post("/threads", "{\"thread_id\":\"" + id + "\",\"if_exists\":\"do_nothing\","
                + "\"metadata\":{\"user\":\"bob\"}}");
        assertThat(kept.status()).isEqualTo(200);
        assertThat(kept.json().get("metadata").get("user").asText()).isEqualTo("ann");
        String other = ap.post("/threads", "{\"metadata\":{\"user\":\"bob\"},\"graph_id\":\"work\"}").json()
                .get("thread_id").asText();
        assertThat(ap.get("/threads/" + other).json().get("metadata").get("graph_id").asText()).isEqualTo("work");

        assertThat(ap.post("/threads/search", "{\"metadata\":{\"user\":\"ann\"}}").json())
                .extracting(x -> x.get("thread_id").asText()).containsExactly(id);
        Http.Reply page = ap.post("/threads/search", "{\"limit\":1,\"sort_by\":\"created_at\",\"sort_order\":\"asc\","
                + "\"select\":[\"thread_id\",\"status\"]}");
        assertThat(page.json()).hasSize(1);
        assertThat(page.json().get(0).size()).isEqualTo(2);
        assertThat(page.json().get(0).get("thread_id").asText()).isEqualTo(id);
        assertThat(page.header("X-Pagination-Next")).isEqualTo("1");
        assertThat(ap.post("/threads/search", "{\"status\":\"idle\",\"ids\":[\"" + other + "\"]}").json()).hasSize(1);
        assertThat(ap.post("/threads/count", "{\"status\":\"busy\"}").json().asLong()).isZero();
        assertThat(ap.post("/threads/count", "{}").json().asLong()).isEqualTo(2);

        Http.Reply patched = ap.send("PATCH", "/threads/" + id, "{\"metadata\":{\"topic\":\"tax\"}}", Map.of());
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().get("metadata")).hasSize(2);

        assertThat(ap.send("DELETE", "/threads/" + id, null, Map.of()).status()).isEqualTo(204);
        assertThat(ap.get("/threads/" + id).code()).isEqualTo("thread_not_found");
        assertThat(ap.send("DELETE", "/threads/" + id, null, Map.of()).code()).isEqualTo("thread_not_found");
    }

    @Test
    void badThreadRequestsAreRefusedWithTheirCodesAndWriteNothing() {
        assertThat(ap.post("/threads", "{\"thread_id\":\"not-a-uuid\"}").code()).isEqualTo("invalid_argument");
        assertThat(ap.post("/threads", "{\"if_exists\":\"sometimes\"}").code()).isEqualTo("invalid_argument");
        assertThat(ap.post("/threads", "{\"colour\":\"red\"}").code()).isEqualTo("unknown_field");
        assertThat(ap.post("/threads", "{\"metadata\":[1]}").code()).isEqualTo("invalid_argument");
        assertThat(ap.post("/threads", "{\"supersteps\":[{\"updates\":[]}]}").code()).isEqualTo("invalid_argument");
        assertThat(ap.post("/threads", "{\"ttl\":{\"ttl\":5}}").code()).isEqualTo("invalid_argument");
        assertThat(ap.post("/threads", "[1,2]").code()).isEqualTo("invalid_json");
        assertThat(ap.post("/threads", "{").code()).isEqualTo("invalid_json");
        assertThat(ap.post("/threads", "{\"metadata\":{\"big\":\"" + "x".repeat(70_000) + "\"}}").code())
                .isEqualTo("payload_too_large");
        assertThat(ap.post("/threads", "{\"metadata\":{\"big\":\"" + "x".repeat(1_100_000) + "\"}}").code())
                .isEqualTo("payload_too_large");
        assertThat(ap.post("/threads/search", "{\"values\":{\"a\":1}}").code()).isEqualTo("invalid_argument");
        assertThat(ap.post("/threads/search", "{\"status\":\"sleepy\"}").code()).isEqualTo("invalid_argument");
        assertThat(ap.post("/threads/search", "{\"limit\":5000}").code()).isEqualTo("invalid_argument");
        assertThat(ap.get("/threads/0190f3a8-5b2c-7d3e-8f40-123456789abc").code()).isEqualTo("thread_not_found");
        assertThat(ap.get("/threads/%00").status()).isIn(400, 404);
        assertThat(ap.get("/threads/0190f3a8-5b2c-7d3e-8f40-123456789abc/state").code()).isEqualTo("thread_not_found");
        assertThat(count("threads")).isZero();
        assertThat(ap.get("/store/items").code()).isEqualTo("not_found");
    }
}

package io.runledger.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.ApiKeys;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import io.runledger.server.testing.TestServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** Scope keys can be listed (never their secrets), named and revoked, at once on every instance. */
class ScopeKeysHttpTest extends ServerTestBase {

    private static String text(String query) {
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Http.Reply delete(Http http, String path) {
        return http.send("DELETE", path, null, Map.of());
    }

    private static JsonNode createKey(String body) {
        Http.Reply r = api.post(P + "/keys", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
    }

    @Test
    void listShowsIdsNamesAndUseButNeverTheKeyOrItsHash() {
        JsonNode ci = createKey("{\"name\":\"ci pipeline\"}");
        JsonNode plain = createKey(null);
        assertThat(ci.get("keyId").asText()).startsWith("key_");
        assertThat(ci.get("name").asText()).isEqualTo("ci pipeline");
        assertThat(plain.get("name").isNull()).isTrue();
        String secret = ci.get("key").asText();
        assertThat(api.withKey(secret).get(P + "/runs").status()).isEqualTo(200);

        Http.Reply list = api.get(P + "/keys");
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        List<JsonNode> items = StreamSupport.stream(list.json().get("items").spliterator(), false).toList();
        assertThat(items).extracting(i -> i.get("keyId").asText())
                .containsExactly(ci.get("keyId").asText(), plain.get("keyId").asText());
        for (JsonNode item : items) {
            assertThat(item.has("key")).isFalse();
            assertThat(item.has("createdAt")).isTrue();
        }
        assertThat(items.get(0).get("name").asText()).isEqualTo("ci pipeline");
        assertThat(items.get(0).get("lastUsedAt").isNull()).as("used just now").isFalse();
        assertThat(items.get(1).get("lastUsedAt").isNull()).as("never used").isTrue();
        String hash = ApiKeys.hash(secret);
        assertThat(list.response().body()).doesNotContain(secret).doesNotContain(hash)
                .doesNotContain(hash.substring(0, 16));
    }

    @Test
    void lastUsedAtIsWrittenAtMostOnceAMinute() {
        String secret = createKey(null).get("key").asText();
        Http scoped = api.withKey(secret);
        assertThat(scoped.get(P + "/runs").status()).isEqualTo(200);
        String first = text("select xmin::text || last_used_at::text from scope_keys");
        for (int i = 0; i < 5; i++) {
            assertThat(scoped.get(P + "/runs").status()).isEqualTo(200);
        }
        assertThat(text("select xmin::text || last_used_at::text from scope_keys"))
                .as("no write per request").isEqualTo(first);
        // Over a minute later, a request records its use again: the next one that reads the key
        // (the server reads a key it confirmed again a second later at most).
        TestDatabase.sql("update scope_keys set last_used_at = now() - interval '2 minutes'");
        String aged = text("select last_used_at::text from scope_keys");
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            assertThat(scoped.get(P + "/runs").status()).isEqualTo(200);
            return !text("select last_used_at::text from scope_keys").equals(aged);
        });
    }

    @Test
    void aRevokedKeyIsRefusedAtOnceOnEveryInstance() {
        JsonNode key = createKey("{\"name\":\"leaked\"}");
        JsonNode kept = createKey(null);
        try (TestServer second = TestServer.start()) {
            Http here = api.withKey(key.get("key").asText());
            Http there = second.admin().withKey(key.get("key").asText());
            assertThat(here.get(P + "/runs").status()).isEqualTo(200);
            assertThat(there.get(P + "/runs").status()).isEqualTo(200);

            Http.Reply revoked = delete(api, P + "/keys/" + key.get("keyId").asText());
            assertThat(revoked.status()).as(revoked.toString()).isEqualTo(204);

            for (Http http : List.of(here, there)) {
                Http.Reply r = http.get(P + "/runs");
                assertThat(r.status()).as(r.toString()).isEqualTo(401);
                assertThat(r.code()).isEqualTo("unauthorized");
            }
            assertThat(second.admin().withKey(kept.get("key").asText()).get(P + "/runs").status())
                    .as("other keys still work").isEqualTo(200);
            assertThat(api.get(P + "/keys").json().get("items")).hasSize(1);
        }
    }

    @Test
    void unknownKeysAndScopesAreNotFound() {
        Http.Reply unknown = delete(api, P + "/keys/key_doesnotexist");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("key_not_found");
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(api.get("/v1/scopes/nosuch/keys").code()).isEqualTo("scope_not_found");
        assertThat(delete(api, "/v1/scopes/nosuch/keys/key_x").code()).isEqualTo("scope_not_found");
        // A key of one scope cannot be revoked through another scope's path.
        assertThat(api.put("/v1/scopes/globex", null).status()).isEqualTo(201);
        String acmeKeyId = createKey(null).get("keyId").asText();
        assertThat(delete(api, "/v1/scopes/globex/keys/" + acmeKeyId).code()).isEqualTo("key_not_found");
        assertThat(api.get(P + "/keys").json().get("items")).hasSize(1);
    }

    @Test
    void scopeKeysCannotListOrRevokeKeys() {
        JsonNode own = createKey(null);
        Http scoped = api.withKey(own.get("key").asText());
        Http.Reply list = scoped.get(P + "/keys");
        assertThat(list.status()).isEqualTo(403);
        assertThat(list.code()).isEqualTo("forbidden");
        assertThat(delete(scoped, P + "/keys/" + own.get("keyId").asText()).status()).isEqualTo(403);
        assertThat(new Http(api.baseUrl(), null).get(P + "/keys").status()).isEqualTo(401);
        assertThat(api.get(P + "/keys").json().get("items")).hasSize(1);
    }

    @Test
    void aKeyNameIsBoundedText() {
        Http.Reply tooLong = api.post(P + "/keys", "{\"name\":\"" + "x".repeat(201) + "\"}");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.code()).isEqualTo("invalid_argument");
        assertThat(api.post(P + "/keys", "{\"nam\":\"x\"}").code()).isEqualTo("unknown_field");
        assertThat(count("scope_keys")).isZero();
    }
}

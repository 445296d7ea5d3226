package io.runledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.api.ApiKeys;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bearer keys: the admin key everywhere, a scope key only in its scope, stored hashed. */
class AuthTest extends ServerTestBase {

    @Test
    void scopeKeyActsInItsScopeOnly() {
        Http.Reply created = api.post(P + "/keys", null);
        assertThat(created.status()).isEqualTo(201);
        String key = created.json().get("key").asText();
        assertThat(key).startsWith("rlk_");
        Http acme = api.withKey(key);

        Http.Reply receipt = acme.post(P + "/services/work/runs", "{\"input\":1}");
        assertThat(receipt.status()).isEqualTo(202);
        String runId = receipt.json().get("runId").asText();
        assertThat(acme.get(P + "/runs/" + runId).status()).isEqualTo(200);
        assertThat(acme.put(P + "/services/other", "{}").status()).isEqualTo(200);

        api.put("/v1/scopes/globex", null);
        api.put("/v1/scopes/globex/services/work", "{}");
        Http.Reply foreign = acme.post("/v1/scopes/globex/services/work/runs", "{\"input\":1}");
        Http.Reply missing = acme.post("/v1/scopes/nosuch/services/work/runs", "{\"input\":1}");
        // A scope the key does not own looks exactly like one that does not exist.
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.code()).isEqualTo("scope_not_found");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.code()).isEqualTo("scope_not_found");
        assertThat(acme.get("/v1/scopes/globex/runs/" + runId).status()).isEqualTo(404);
        assertThat(acme.put("/v1/scopes/globex", null).status()).isEqualTo(403);
        assertThat(count("runs")).isEqualTo(1);
    }

    @Test
    void onlyTheKeysHashIsStored() {
        String key = api.post(P + "/keys", null).json().get("key").asText();
        assertThat(TestDatabase.count("select count(*) from scope_keys where scope_id = 'acme' and key_hash = '"
                + ApiKeys.hash(key) + "'")).isEqualTo(1);
        assertThat(TestDatabase.count("select count(*) from scope_keys where key_hash like '%" + key.substring(4, 20)
                + "%'")).isZero();
        String second = api.post(P + "/keys", null).json().get("key").asText();
        assertThat(second).isNotEqualTo(key);
        assertThat(api.withKey(second).get(P + "/runs").status()).isEqualTo(200);
    }

    @Test
    void missingOrWrongKeysAreUnauthorized() {
        for (Http http : new Http[] {api.withKey(null), api.withKey("rla_wrong"), api.withKey("")}) {
            Http.Reply r = http.get(P + "/runs");
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.code()).isEqualTo("unauthorized");
        }
        Http.Reply basic = api.withKey(null).send("GET", P + "/runs", null, Map.of("Authorization", "Basic eDp5"));
        assertThat(basic.status()).isEqualTo(401);
    }

    @Test
    void operationsEndpointsNeedNoKey() {
        Http anonymous = api.withKey(null);
        assertThat(anonymous.get("/health/live").status()).isEqualTo(200);
        Http.Reply ready = anonymous.get("/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("status").asText()).isEqualTo("ready");
        assertThat(anonymous.get("/openapi.json").status()).isEqualTo(200);
    }
}

package io.runledger.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.core.testing.TestDatabase;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One real server per test class; per test an empty database with scope {@code acme} and
 * service {@code work}, created over HTTP with the admin key.
 */
public abstract class ServerTestBase {
    protected static final String SCOPE = "acme";
    protected static final String SERVICE = "work";
    protected static final String P = "/v1/scopes/" + SCOPE;

    protected static TestServer server;
    protected static Http api;

    @BeforeAll
    static void startServer() {
        server = TestServer.start();
        api = server.admin();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @BeforeEach
    protected void freshScope() {
        TestDatabase.truncate();
        assertThat(api.put("/v1/scopes/" + SCOPE, null).status()).isEqualTo(201);
        assertThat(api.put(P + "/services/" + SERVICE, serviceSpec()).status()).isEqualTo(200);
    }

    /** The body of the service PUT; override to change the service's defaults. */
    protected String serviceSpec() {
        return "{\"maxAttempts\":3,\"leaseTtlSeconds\":30}";
    }

    protected static Http.Reply trigger(String body) {
        return api.post(P + "/services/" + SERVICE + "/runs", body);
    }

    protected static String triggerRun() {
        Http.Reply r = trigger("{\"input\":{\"n\":1}}");
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r.json().get("runId").asText();
    }

    /** Leases one run of the service with no wait; fails if there is none. */
    protected static JsonNode leaseOne(String workerId) {
        Http.Reply r = api.post(P + "/workers/lease",
                "{\"workerId\":\"" + workerId + "\",\"services\":[\"" + SERVICE + "\"],\"max\":1,\"waitSeconds\":0}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("leases")).as(r.toString()).hasSize(1);
        return r.json().get("leases").get(0);
    }

    protected static JsonNode run(String runId) {
        Http.Reply r = api.get(P + "/runs/" + runId);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    protected static HttpRequest streamRequest(Http http, String runId, String query, String lastEventId) {
        HttpRequest.Builder b = http.request(P + "/runs/" + runId + "/stream" + (query == null ? "" : query)).GET();
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        return b.build();
    }

    protected static long count(String table) {
        return TestDatabase.count("select count(*) from " + table);
    }
}

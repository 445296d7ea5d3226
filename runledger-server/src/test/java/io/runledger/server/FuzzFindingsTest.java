package io.runledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.LogCapture;
import io.runledger.server.testing.RawHttp;
import io.runledger.server.testing.ServerTestBase;
import io.runledger.server.testing.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The 5xx answers the fuzz test found, each pinned by a request that reproduces it. */
class FuzzFindingsTest extends ServerTestBase {

    @Test
    void aUtf16EscapeInThePathIsA400NotAFailedPathParameterDecode() {
        try (LogCapture log = LogCapture.start()) {
            for (String path : List.of(P + "/runs/%u0041", P + "/runs/%u0041/events", "/v1/scopes/%u0041/runs",
                    "/observe/%u0041")) {
                RawHttp.Answer a = RawHttp.exchange(server.server.url(), "GET " + path + " HTTP/1.1\r\nHost: x\r\n"
                        + "Authorization: Bearer " + TestServer.ADMIN_KEY + "\r\nConnection: close\r\n\r\n", false);
                assertThat(a.status()).as("%s: %s", path, a).isEqualTo(400);
                assertThat(a.contentType()).startsWith("application/problem+json");
                assertThat(a.code()).isEqualTo("invalid_argument");
            }
            assertThat(log.errors()).isEmpty();
        }
    }

    @Test
    void aBatchForAnUnknownScopeOrServiceIsA404NotAForeignKeyViolation() {
        try (LogCapture log = LogCapture.start()) {
            Http.Reply scope = api.post("/v1/scopes/nosuch/services/work/batches", "{\"items\":[{\"input\":1}]}");
            assertThat(scope.status()).as(scope.toString()).isEqualTo(404);
            assertThat(scope.code()).isEqualTo("scope_not_found");
            Http.Reply service = api.post(P + "/services/nosuch/batches", "{\"items\":[{\"input\":1}]}");
            assertThat(service.status()).as(service.toString()).isEqualTo(404);
            assertThat(service.code()).isEqualTo("service_not_found");
            assertThat(log.errors()).isEmpty();
        }
        assertThat(count("batches")).isZero();
    }

    @Test
    void aSchemaRefToAnyUrlIsRefusedAndNeverFetched() throws IOException {
        try (ServerSocket target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             LogCapture log = LogCapture.start()) {
            AtomicInteger connections = new AtomicInteger();
            Thread.ofVirtual().start(() -> {
                while (!target.isClosed()) {
                    try (Socket s = target.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            String url = "http://127.0.0.1:" + target.getLocalPort() + "/schema.json";
            for (String ref : List.of(url, "file:///etc/passwd", "classpath:logback.xml", url + "#/defs/x")) {
                Http.Reply r = api.put(P + "/services/remote", "{\"inputSchema\":{\"$ref\":\"" + ref + "\"}}");
                assertThat(r.status()).as("%s: %s", ref, r).isEqualTo(400);
                assertThat(r.code()).isEqualTo("invalid_argument");
            }
            assertThat(api.get(P + "/services/remote").status()).isEqualTo(404);

            // A schema stored before refs were checked: triggers are refused, not failed.
            TestDatabase.sql("update services set input_schema = '{\"$ref\":\"" + url + "\"}' where scope_id = '"
                    + SCOPE + "' and service = '" + SERVICE + "'");
            long runs = count("runs");
            for (String path : List.of("/runs", "/runs:validate", "/batches")) {
                String body = path.equals("/batches") ? "{\"items\":[{\"input\":1}]}" : "{\"input\":1}";
                Http.Reply r = api.post(P + "/services/" + SERVICE + path, body);
                assertThat(r.status()).as("%s: %s", path, r).isLessThan(500);
            }
            assertThat(count("runs")).isEqualTo(runs);
            assertThat(connections.get()).as("connections to the $ref target").isZero();
            assertThat(log.errors()).isEmpty();
        }
    }
}

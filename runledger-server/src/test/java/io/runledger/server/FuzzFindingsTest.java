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
    void aRefusedRequestWithABodyLeavesItsKeepAliveConnectionUsable() throws IOException {
        // Refused before the body is read (no key): the body must still be consumed, or Jetty
        // closes the connection after the answer without a "Connection: close", and a client's
        // next request on it gets no answer at all.
        String body = "{\"input\":\"" + "z".repeat(300_000) + "\"}";
        for (int i = 0; i < 20; i++) {
            try (Socket socket = RawHttp.connect(server.server.url())) {
                String first = "POST " + P + "/services/work/runs HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n";
                socket.getOutputStream().write((first + body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                RawHttp.Answer refused = RawHttp.read(socket.getInputStream());
                assertThat(refused.status()).isEqualTo(401);
                assertThat(refused.header("Connection")).isNull();
                socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                assertThat(RawHttp.read(socket.getInputStream()).status()).as("attempt %d", i).isEqualTo(200);
            }
        }
        // Past the body limit the connection cannot be kept, and the answer says so.
        try (Socket socket = RawHttp.connect(server.server.url())) {
            socket.getOutputStream().write(("POST " + P + "/services/work/runs HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: 3000000\r\n\r\n" + "z".repeat(1_100_000))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            RawHttp.Answer refused = RawHttp.read(socket.getInputStream());
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.header("Connection")).isEqualTo("close");
        }
    }

    @Test
    void aRefusalByJettyThatEndsTheConnectionSaysSo() throws IOException {
        for (String path : List.of("/../x", "/%2e%2e/x", P + "/runs/%00/cancel")) {
            try (Socket socket = RawHttp.connect(server.server.url())) {
                socket.setSoTimeout(5_000);
                socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                RawHttp.Answer refused = RawHttp.read(socket.getInputStream());
                assertThat(refused.status()).as(path).isEqualTo(400);
                assertThat(refused.code()).isEqualTo("invalid_argument");
                // Jetty closes the connection after these: a keep-alive client must be told.
                assertThat(refused.header("Connection")).as(path).isEqualTo("close");
            }
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

package io.runledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.server.testing.Http;
import io.runledger.server.testing.LogCapture;
import io.runledger.server.testing.RawHttp;
import io.runledger.server.testing.ServerTestBase;
import io.runledger.server.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Malformed HTTP, sent byte by byte over a socket: every answer is a 4xx problem+json with a
 * code of the contract, nothing is written and nothing is logged as an error.
 */
class HttpEdgesTest extends ServerTestBase {
    private static final String AUTH = "Authorization: Bearer " + TestServer.ADMIN_KEY + "\r\n";
    private static final String TRIGGER = P + "/services/work/runs";

    private static RawHttp.Answer send(String request, boolean halfClose) {
        return RawHttp.exchange(server.server.url(), request, halfClose);
    }

    private static void assertProblem(RawHttp.Answer a, int status, String code) {
        assertThat(a.status()).as(a.toString()).isEqualTo(status);
        assertThat(a.contentType()).as(a.toString()).startsWith("application/problem+json");
        assertThat(a.code()).as(a.toString()).isEqualTo(code);
        assertThat(a.json().get("status").asInt()).as(a.toString()).isEqualTo(status);
        assertThat(a.json().get("type").asText()).isEqualTo("urn:runledger:problem:" + code);
    }

    @Test
    void aBrokenBodyIsInvalidJsonNotA500() {
        long runs = count("runs");
        try (LogCapture log = LogCapture.start()) {
            // Shorter than its Content-Length, then the client stops sending.
            assertProblem(send("POST " + TRIGGER + " HTTP/1.1\r\nHost: x\r\n" + AUTH
                    + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"input\":1", true), 400,
                    "invalid_json");
            // A chunk size that is not hex.
            assertProblem(send("POST " + TRIGGER + " HTTP/1.1\r\nHost: x\r\n" + AUTH
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{\"input\":1}\r\n"
                    + "0\r\n\r\n", true), 400, "invalid_json");
            // A chunk longer than its declared size.
            assertProblem(send("POST " + TRIGGER + " HTTP/1.1\r\nHost: x\r\n" + AUTH
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"input\":1}\r\n"
                    + "0\r\n\r\n", true), 400, "invalid_json");
            // A chunked body that ends before its last chunk.
            assertProblem(send("POST " + TRIGGER + " HTTP/1.1\r\nHost: x\r\n" + AUTH
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"inp", true), 400,
                    "invalid_json");
            assertThat(log.errors()).isEmpty();
        }
        assertThat(count("runs")).isEqualTo(runs);
    }

    @Test
    void headIsRefusedOnKeyedRoutesWithOrWithoutAKey() {
        for (String auth : List.of("", AUTH, "Authorization: Bearer nope\r\n")) {
            for (String path : List.of(P + "/runs", P + "/services", "/v1/scopes/" + SCOPE + "/workers", "/metrics")) {
                RawHttp.Answer a = send("HEAD " + path + " HTTP/1.1\r\nHost: x\r\n" + auth
                        + "Connection: close\r\n\r\n", false);
                assertThat(a.status()).as("HEAD %s with '%s'", path, auth).isEqualTo(405);
                assertThat(a.contentType()).startsWith("application/problem+json");
                assertThat(a.header("Allow")).isEqualTo("GET");
                assertThat(a.body()).isEmpty();
            }
        }
        Http.Reply get = api.get(P + "/runs");
        assertThat(get.status()).isEqualTo(200);
        assertThat(send("HEAD /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", false).status())
                .isEqualTo(200);
    }

    @Test
    void everyRefusalJettyMakesItselfIsAProblemWithAContractCode() {
        record Bad(String name, String request, int status, String code) {
        }
        String close = "Connection: close\r\n";
        List<Bad> cases = List.of(
                new Bad("NUL in the path", "GET " + P + "/runs/run%00x HTTP/1.1\r\nHost: x\r\n" + AUTH + close
                        + "\r\n", 400, "invalid_argument"),
                new Bad("bad UTF-8, GET", "GET " + P + "/runs/%ff%fe HTTP/1.1\r\nHost: x\r\n" + AUTH + close + "\r\n",
                        400, "invalid_argument"),
                new Bad("bad UTF-8, PUT", "PUT " + P + "/services/%ff%fe HTTP/1.1\r\nHost: x\r\n" + AUTH
                        + "Content-Length: 2\r\n" + close + "\r\n{}", 400, "invalid_argument"),
                new Bad("bad UTF-8, DELETE", "DELETE " + P + "/webhooks/%ff%fe HTTP/1.1\r\nHost: x\r\n" + AUTH + close
                        + "\r\n", 400, "invalid_argument"),
                new Bad("bad method", "G@T /health/live HTTP/1.1\r\nHost: x\r\n" + close + "\r\n", 400,
                        "invalid_argument"),
                new Bad("bad header", "GET /health/live HTTP/1.1\r\nHost: x\r\nBad Header\r\n" + close + "\r\n", 400,
                        "invalid_argument"),
                new Bad("head too large", "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000)
                        + "\r\n" + close + "\r\n", 431, "payload_too_large"),
                new Bad("unknown version", "GET /health/live HTTP/9.9\r\nHost: x\r\n" + close + "\r\n", 400,
                        "invalid_argument"),
                new Bad("not a path", "GET health HTTP/1.1\r\nHost: x\r\n" + close + "\r\n", 400, "invalid_argument"),
                new Bad("no Host", "GET /health/live HTTP/1.1\r\n" + close + "\r\n", 400, "invalid_argument"),
                new Bad("two lengths", "POST " + TRIGGER + " HTTP/1.1\r\nHost: x\r\n" + AUTH
                        + "Content-Length: 3\r\nContent-Length: 4\r\n" + close + "\r\n{}xx", 400, "invalid_argument"),
                new Bad("length not a number", "POST " + TRIGGER + " HTTP/1.1\r\nHost: x\r\n" + AUTH
                        + "Content-Length: abc\r\n" + close + "\r\n", 400, "invalid_argument"),
                new Bad("unknown method", "FOO " + P + "/runs HTTP/1.1\r\nHost: x\r\n" + AUTH + close + "\r\n", 404,
                        "not_found"),
                new Bad("odd run id", "GET " + P + "/runs/r%C3%A9%24x HTTP/1.1\r\nHost: x\r\n" + AUTH + close
                        + "\r\n", 404, "run_not_found"),
                new Bad("encoded slash in a run id", "GET " + P + "/runs/a%2Fb/events HTTP/1.1\r\nHost: x\r\n" + AUTH
                        + close + "\r\n", 404, "run_not_found"),
                new Bad("long run id", "GET " + P + "/runs/" + "r".repeat(5_000) + " HTTP/1.1\r\nHost: x\r\n" + AUTH
                        + close + "\r\n", 404, "run_not_found"),
                new Bad("dot-dot run id", "POST " + P + "/runs/../cancel HTTP/1.1\r\nHost: x\r\n" + AUTH
                        + "Content-Length: 0\r\n" + close + "\r\n", 404, "run_not_found"));
        long runs = count("runs");
        try (LogCapture log = LogCapture.start()) {
            for (Bad bad : cases) {
                RawHttp.Answer a = send(bad.request(), false);
                assertThat(a.status()).as("%s: %s", bad.name(), a).isEqualTo(bad.status());
                assertProblem(a, bad.status(), bad.code());
            }
            assertThat(log.errors()).isEmpty();
        }
        assertThat(count("runs")).isEqualTo(runs);
    }

    @Test
    void anAckWithTheTokenOfAFailedAttemptIsRefusedAfterTheRunWasRequeued() {
        String runId = triggerRun();
        String oldToken = leaseOne("w1").get("leaseToken").asText();
        String messageId = api.post(P + "/runs/" + runId + "/signals", "{\"type\":\"pause\",\"data\":{}}")
                .json().get("messageId").asText();
        Http.Reply beat = api.post(P + "/runs/" + runId + "/heartbeat", "{\"leaseToken\":\"" + oldToken + "\"}");
        assertThat(beat.json().get("messages")).hasSize(1);
        // retryAfterSeconds 0: back in the queue at once, not after the retry policy's backoff
        Http.Reply failed = api.post(P + "/runs/" + runId + "/fail", "{\"leaseToken\":\"" + oldToken
                + "\",\"error\":{\"code\":\"e\",\"message\":\"m\"},\"retryable\":true,\"retryAfterSeconds\":0}");
        assertThat(failed.status()).as(failed.toString()).isEqualTo(200);
        assertThat(run(runId).get("status").asText()).isEqualTo("accepted");

        Http.Reply ack = api.post(P + "/runs/" + runId + "/messages/" + messageId + "/ack",
                "{\"leaseToken\":\"" + oldToken + "\"}");
        assertThat(ack.status()).as(ack.toString()).isEqualTo(409);
        assertThat(ack.code()).isEqualTo("lease_lost");
        assertThat(message(runId).get("status").asText()).isEqualTo("delivered");

        // The next attempt's holder may ack it, and acking again answers the same.
        String newToken = leaseOne("w2").get("leaseToken").asText();
        for (int i = 0; i < 2; i++) {
            Http.Reply ok = api.post(P + "/runs/" + runId + "/messages/" + messageId + "/ack",
                    "{\"leaseToken\":\"" + newToken + "\"}");
            assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
            assertThat(ok.json().get("status").asText()).isEqualTo("acked");
        }
        assertThat(api.send("POST", P + "/runs/" + runId + "/messages/msg_nosuch/ack",
                "{\"leaseToken\":\"" + newToken + "\"}", Map.of()).code()).isEqualTo("message_not_found");
    }

    private static com.fasterxml.jackson.databind.JsonNode message(String runId) {
        return api.get(P + "/runs/" + runId + "/messages").json().get("items").get(0);
    }
}

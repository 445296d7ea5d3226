package io.runledger.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runledger.api.ApiKeys;
import io.runledger.core.RunLedger;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.RawHttp;
import io.runledger.server.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A client cannot hold connections forever with half a request head, nor open without bound. */
class ConnectionLimitsTest {
    private static final int MAX_CONNECTIONS = 4;
    private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(6);

    private static RunLedger ledger;
    private static RunLedgerServer server;

    @BeforeAll
    static void start() {
        ledger = TestDatabase.ledgerBuilder().build();
        server = RunLedgerServer.builder(ledger).port(0).adminKeyHash(ApiKeys.hash(TestServer.ADMIN_KEY))
                .requestHeadTimeout(HEAD_TIMEOUT).connectionIdleTimeout(IDLE_TIMEOUT).maxConnections(MAX_CONNECTIONS)
                .stopTimeout(Duration.ofSeconds(2))
                .keepAlive(Duration.ofMillis(500)).start();
    }

    @AfterAll
    static void stop() {
        server.close();
        ledger.close();
    }

    @Test
    void aConnectionThatSendsHalfARequestHeadIsClosedWithinTheTimeout() throws IOException {
        try (Socket socket = RawHttp.connect(server.url())) {
            socket.setSoTimeout(200);
            write(socket, "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: ");
            long started = System.nanoTime();
            await().atMost(HEAD_TIMEOUT.plusSeconds(3)).pollInterval(Duration.ofMillis(50))
                    .until(() -> closedByServer(socket));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(HEAD_TIMEOUT.minusMillis(500));
        }
    }

    @Test
    void aConnectionThatTricklesItsRequestHeadIsClosedAtTheDeadline() throws IOException {
        try (Socket socket = RawHttp.connect(server.url())) {
            Duration held = trickleUntilClosed(socket);
            assertThat(held).isBetween(HEAD_TIMEOUT.minusMillis(500), HEAD_TIMEOUT.plusSeconds(2));
        }
    }

    @Test
    void aKeptAliveConnectionMayIdleButItsNextHeadHasADeadlineToo() throws IOException {
        try (Socket socket = RawHttp.connect(server.url())) {
            write(socket, "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(RawHttp.read(socket.getInputStream()).status()).isEqualTo(200);
            // Silent for longer than the head deadline: still open (the idle timeout is longer).
            socket.setSoTimeout((int) HEAD_TIMEOUT.multipliedBy(2).toMillis());
            assertThat(closedByServer(socket)).isFalse();
            // The next head, trickled, is cut within two deadlines of its first byte.
            Duration held = trickleUntilClosed(socket);
            assertThat(held).isBetween(HEAD_TIMEOUT.minusMillis(500), HEAD_TIMEOUT.multipliedBy(2).plusSeconds(2));
        }
    }

    /** Sends a request head one byte every 300 ms (each byte restarts an idle timeout) until the server closes. */
    private static Duration trickleUntilClosed(Socket socket) throws IOException {
        byte[] head = ("GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: " + "a".repeat(200) + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        socket.setSoTimeout(300); // each read that times out is the pause between two bytes
        long started = System.nanoTime();
        for (byte b : head) {
            try {
                socket.getOutputStream().write(b);
                socket.getOutputStream().flush();
            } catch (IOException e) {
                break; // the server had closed it
            }
            if (closedByServer(socket)) {
                break;
            }
        }
        Duration held = Duration.ofNanos(System.nanoTime() - started);
        assertThat(held).as("closed before the head was complete").isLessThan(Duration.ofSeconds(30));
        return held;
    }

    @Test
    void aRequestThatTakesLongerThanTheHeadTimeoutIsNotCut() throws IOException {
        // Once the head is complete, the long timeout applies: a 4 s wait on a 2 s head timeout.
        String admin = "Authorization: Bearer " + TestServer.ADMIN_KEY + "\r\n";
        RawHttp.Answer put = RawHttp.exchange(server.url(), "PUT /v1/scopes/limits HTTP/1.1\r\nHost: x\r\n" + admin
                + "Content-Length: 0\r\nConnection: close\r\n\r\n", false);
        assertThat(put.status()).isIn(200, 201);
        RawHttp.exchange(server.url(), "PUT /v1/scopes/limits/services/s HTTP/1.1\r\nHost: x\r\n" + admin
                + "Content-Length: 2\r\nConnection: close\r\n\r\n{}", false);
        String body = "{\"workerId\":\"w\",\"services\":[\"s\"],\"max\":1,\"waitSeconds\":4}";
        RawHttp.Answer poll = RawHttp.exchange(server.url(), "POST /v1/scopes/limits/workers/lease HTTP/1.1\r\n"
                + "Host: x\r\n" + admin + "Content-Type: application/json\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body, false);
        assertThat(poll.status()).as(poll.toString()).isEqualTo(200);
        assertThat(poll.json().get("leases")).isEmpty();
    }

    @Test
    void connectionsBeyondTheCapWaitUntilOneCloses() throws IOException {
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                Socket s = RawHttp.connect(server.url());
                open.add(s);
                // Each one is served, so each is accepted and counted.
                write(s, "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(RawHttp.read(s.getInputStream()).status()).isEqualTo(200);
            }
            try (Socket extra = RawHttp.connect(server.url())) {
                extra.setSoTimeout(1_000);
                write(extra, "GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                assertThat(answered(extra)).as("connection %d is served", MAX_CONNECTIONS + 1).isFalse();
                open.remove(0).close();
                extra.setSoTimeout(5_000);
                assertThat(RawHttp.read(extra.getInputStream()).status()).isEqualTo(200);
            }
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    private static boolean answered(Socket socket) throws IOException {
        try {
            RawHttp.read(socket.getInputStream());
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    private static boolean closedByServer(Socket socket) {
        try {
            int b;
            while ((b = socket.getInputStream().read()) >= 0) {
                // an answer (Jetty may say 408 first); keep reading until the end
                assert b >= 0;
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    private static void write(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }
}

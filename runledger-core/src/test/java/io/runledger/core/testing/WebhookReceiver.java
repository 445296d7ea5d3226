package io.runledger.core.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP receiver of webhooks on 127.0.0.1: it answers 204 and keeps each delivery (the
 * Standard Webhooks headers, {@code Host}, the body), or 503 for as many requests as it was
 * told to fail.
 */
public final class WebhookReceiver implements AutoCloseable {
    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();

    /** One delivery as it arrived. */
    public record Received(Map<String, String> headers, String body) {
    }

    private WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 503 : 204;
            if (status == 204) {
                var headers = exchange.getRequestHeaders();
                received.add(new Received(Map.of(
                        "webhook-id", headers.getFirst("webhook-id"),
                        "webhook-timestamp", headers.getFirst("webhook-timestamp"),
                        "webhook-signature", headers.getFirst("webhook-signature"),
                        "host", headers.getFirst("Host")), body));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public static WebhookReceiver start() {
        return new WebhookReceiver();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port() + "/hook";
    }

    /** The deliveries answered 204, in arrival order. */
    public List<Received> received() {
        return received;
    }

    /** Answers the next {@code requests} requests with 503. */
    public void failNext(int requests) {
        failuresLeft.set(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

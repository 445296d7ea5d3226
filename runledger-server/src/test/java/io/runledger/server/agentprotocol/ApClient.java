package io.runledger.server.agentprotocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.testing.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** The Agent Protocol as a test speaks it: {@code x-api-key}, JSON in, and SSE parts with string ids. */
final class ApClient {
    private final String base;
    private final String key;

    ApClient(String serverUrl, String scope, String key) {
        this.base = serverUrl + "/v1/scopes/" + scope + "/ap";
        this.key = key;
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (key != null) {
            b.header("x-api-key", key);
        }
        return b;
    }

    Http.Reply get(String path) {
        return send("GET", path, null, Map.of());
    }

    Http.Reply post(String path, String body) {
        return send("POST", path, body, Map.of());
    }

    Http.Reply send(String method, String path, String body, Map<String, String> headers) {
        return Http.send(build(method, path, body, headers));
    }

    CompletableFuture<HttpResponse<String>> sendAsync(String method, String path, String body) {
        return Http.client().sendAsync(build(method, path, body, Map.of()), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest build(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder b = request(path).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        return b.build();
    }

    /** One SSE message: its id (null when it has none), event name and data. */
    record Part(String id, String event, JsonNode data) {
    }

    /** A stream read in the background until the server ends it. */
    static final class OpenStream {
        final HttpResponse<Stream<String>> response;
        final List<Part> parts = new CopyOnWriteArrayList<>();
        final List<String> comments = new CopyOnWriteArrayList<>();
        final Thread reader;
        volatile boolean ended;

        OpenStream(HttpResponse<Stream<String>> response) {
            this.response = response;
            this.reader = Thread.ofVirtual().start(() -> {
                try (Stream<String> lines = response.body()) {
                    List<String> block = new ArrayList<>();
                    lines.forEach(line -> {
                        if (!line.isEmpty()) {
                            block.add(line);
                            return;
                        }
                        if (!block.isEmpty()) {
                            add(block);
                            block.clear();
                        }
                    });
                } catch (UncheckedIOException | IllegalStateException e) {
                    // closed by the test
                } finally {
                    ended = true;
                }
            });
        }

        private void add(List<String> block) {
            String id = null;
            String event = null;
            String data = null;
            for (String line : block) {
                if (line.startsWith(":")) {
                    comments.add(line);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
            if (event != null) {
                try {
                    parts.add(new Part(id, event, data == null ? null : Http.JSON.readTree(data)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        List<String> events() {
            return parts.stream().map(Part::event).toList();
        }

        List<String> ids() {
            return parts.stream().map(Part::id).toList();
        }

        void close() {
            response.body().close();
        }
    }

    OpenStream open(String method, String path, String body, Map<String, String> headers) {
        try {
            return new OpenStream(Http.client().send(build(method, path, body, headers),
                    HttpResponse.BodyHandlers.ofLines()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

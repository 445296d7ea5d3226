package io.runledger.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** Reads Server-Sent Events with java.net.http, as any SSE client would. */
public final class Sse {
    private Sse() {
    }

    /** One message; {@code comment} holds a comment line's text and the other fields are null. */
    public record Message(Long id, String event, JsonNode data, String comment) {
        public boolean isComment() {
            return comment != null;
        }
    }

    /** A stream being read in the background. */
    public static final class Open {
        public final HttpResponse<Stream<String>> response;
        public final List<Message> messages = new CopyOnWriteArrayList<>();
        public final Thread reader;
        public volatile boolean ended;

        Open(HttpResponse<Stream<String>> response) {
            this.response = response;
            this.reader = Thread.ofVirtual().start(() -> {
                try (Stream<String> lines = response.body()) {
                    parse(lines, messages);
                } catch (UncheckedIOException | IllegalStateException e) {
                    // the test closed the stream (before this thread began reading it, the
                    // JDK's line stream reports that as already closed)
                } finally {
                    ended = true;
                }
            });
        }

        public List<Message> events() {
            return messages.stream().filter(m -> !m.isComment()).toList();
        }

        public List<Long> ids() {
            return events().stream().map(Message::id).toList();
        }

        /** Drops the connection, like a client that goes away. */
        public void close() {
            response.body().close();
        }
    }

    public static Open open(HttpRequest request) {
        try {
            return new Open(Http.client().send(request, HttpResponse.BodyHandlers.ofLines()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Reads a stream to its end (the server ends it after the terminal event). */
    public static List<Message> readAll(HttpRequest request) {
        Open s = open(request);
        try {
            s.reader.join(java.time.Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!s.ended) {
            s.close();
            throw new AssertionError("the stream did not end; got " + s.messages);
        }
        return s.events();
    }

    static void parse(Stream<String> lines, List<Message> out) {
        List<String> block = new ArrayList<>();
        lines.forEach(line -> {
            if (line.isEmpty()) {
                if (!block.isEmpty()) {
                    out.add(message(block));
                    block.clear();
                }
            } else {
                block.add(line);
            }
        });
        if (!block.isEmpty()) {
            out.add(message(block));
        }
    }

    private static Message message(List<String> block) {
        Long id = null;
        String event = null;
        StringBuilder data = null;
        String comment = null;
        for (String line : block) {
            if (line.startsWith(":")) {
                comment = line.substring(1).strip();
            } else if (line.startsWith("id: ")) {
                id = Long.parseLong(line.substring(4));
            } else if (line.startsWith("event: ")) {
                event = line.substring(7);
            } else if (line.startsWith("data: ")) {
                data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
            }
        }
        try {
            return new Message(id, event, data == null ? null : Http.JSON.readTree(data.toString()),
                    id == null && event == null ? comment : null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

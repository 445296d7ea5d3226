package io.runledger.server.stream;

import io.runledger.api.RunEvent;
import io.runledger.server.http.ServerJson;
import io.runledger.server.http.Views;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes Server-Sent Events straight to the servlet response: {@code id} is the event's
 * seq, so a reconnecting client's {@code Last-Event-ID} is where its stream resumes. Any
 * {@link IOException} means the client is gone.
 */
final class SseWriter {
    static final String CONTENT_TYPE = "text/event-stream";

    private final HttpServletResponse response;
    private final OutputStream out;

    SseWriter(HttpServletResponse response) throws IOException {
        this.response = response;
        this.out = response.getOutputStream();
    }

    /** Sends the status and headers now, so the client knows the stream is open. */
    void open() throws IOException {
        response.flushBuffer();
    }

    void event(RunEvent event) throws IOException {
        // Compact JSON never contains a raw newline, so the data fits one "data:" line.
        String message = "id: " + event.seq() + "\n"
                + "event: " + event.type() + "\n"
                + "data: " + ServerJson.text(Views.event(event)) + "\n\n";
        out.write(message.getBytes(StandardCharsets.UTF_8));
    }

    void comment(String text) throws IOException {
        out.write((": " + text + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    void flush() throws IOException {
        out.flush();
        response.flushBuffer();
    }
}

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

    /**
     * One event; with {@code named} false its {@code event:} line is left out, so a browser's
     * {@code EventSource} hands every event to {@code onmessage} (the type is in the data).
     */
    void event(RunEvent event, boolean named) throws IOException {
        StringBuilder message = new StringBuilder(256).append("id: ").append(event.seq()).append('\n');
        // A CR or LF in a field would end the line and let the rest forge lines (a fake id,
        // a fake terminal event). Worker types are refused at append, but rows written
        // before that check may hold one: such a name is left out (the browser's default
        // "message" event) rather than repaired into something else.
        if (named && isSingleLine(event.type())) {
            message.append("event: ").append(event.type()).append('\n');
        }
        // Compact JSON escapes every control character, so the data fits one "data:" line.
        message.append("data: ").append(ServerJson.text(Views.event(event))).append("\n\n");
        out.write(message.toString().getBytes(StandardCharsets.UTF_8));
    }

    static boolean isSingleLine(String field) {
        return field != null && field.indexOf('\n') < 0 && field.indexOf('\r') < 0;
    }

    void comment(String text) throws IOException {
        if (!isSingleLine(text)) {
            throw new IllegalArgumentException("an SSE comment must be one line");
        }
        out.write((": " + text + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    void flush() throws IOException {
        out.flush();
        response.flushBuffer();
    }
}

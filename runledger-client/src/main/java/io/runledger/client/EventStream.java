package io.runledger.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.RunEvent;
import io.runledger.api.RunLedgerException;
import io.runledger.api.UnavailableException;
import io.runledger.client.internal.Backoff;
import io.runledger.client.internal.Transport;
import io.runledger.client.internal.Wire;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A run's events over Server-Sent Events, each exactly once and in seq order. A dropped
 * connection or a restarted server is resumed with {@code Last-Event-ID} = the last seq
 * seen, with backoff, for up to the reconnect limit. Iteration ends after the terminal
 * event. Close it to stop early.
 */
public final class EventStream implements Iterable<RunEvent>, AutoCloseable {
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(3);

    private final Transport transport;
    private final String path;
    private final String runId;
    private final Duration reconnectLimit;
    private final ArrayDeque<RunEvent> ready = new ArrayDeque<>();
    private long lastSeq;
    private boolean finished;
    private volatile boolean closed;
    private volatile InputStream body;
    private BufferedReader reader;
    private int reconnects;

    EventStream(Transport transport, String path, String runId, long afterSeq, Duration reconnectLimit) {
        this.transport = transport;
        this.path = path;
        this.runId = runId;
        this.lastSeq = afterSeq;
        this.reconnectLimit = reconnectLimit;
    }

    /** The seq of the last event handed out; resume from here with {@code stream(scope, runId, seq)}. */
    public long lastSeq() {
        return lastSeq;
    }

    /** How many times the stream reconnected. */
    public int reconnects() {
        return reconnects;
    }

    @Override
    public Iterator<RunEvent> iterator() {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return fill();
            }

            @Override
            public RunEvent next() {
                if (!fill()) {
                    throw new NoSuchElementException();
                }
                RunEvent e = ready.poll();
                lastSeq = e.seq();
                if (e.isTerminal()) {
                    finished = true;
                }
                return e;
            }
        };
    }

    private boolean fill() {
        if (!ready.isEmpty()) {
            return true;
        }
        long giveUpAt = System.nanoTime() + reconnectLimit.toNanos();
        Duration backoff = FIRST_BACKOFF;
        while (!finished && !closed && ready.isEmpty()) {
            try {
                if (reader == null) {
                    connect();
                }
                if (!readMessage()) {
                    disconnect(); // the server ended the stream before the terminal event: resume
                    reconnects++;
                }
                giveUpAt = System.nanoTime() + reconnectLimit.toNanos();
                backoff = FIRST_BACKOFF;
            } catch (IOException | UnavailableException e) {
                disconnect();
                if (closed) {
                    break;
                }
                if (System.nanoTime() > giveUpAt) {
                    throw new UnavailableException("stream of run " + runId + " lost for longer than "
                            + reconnectLimit, e);
                }
                Backoff.sleep(backoff);
                backoff = Backoff.doubled(backoff, MAX_BACKOFF);
                reconnects++;
            }
        }
        return !ready.isEmpty();
    }

    private void connect() throws IOException {
        HttpRequest request = transport.request(transport.uri(path, null), Duration.ofSeconds(30))
                .header("Accept", "text/event-stream")
                .header("Last-Event-ID", Long.toString(lastSeq))
                .GET().build();
        HttpResponse<InputStream> response;
        try {
            response = transport.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
            throw new IOException("interrupted", e);
        }
        if (response.statusCode() >= 400) {
            String text;
            try (InputStream in = response.body()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            JsonNode problem = text.isBlank() ? null : Wire.MAPPER.readTree(text);
            RunLedgerException error = io.runledger.client.internal.Problems.toException(response.statusCode(),
                    problem == null ? Wire.MAPPER.createObjectNode() : problem, runId);
            if (response.statusCode() >= 500) {
                throw new UnavailableException(error.getMessage(), error);
            }
            throw error;
        }
        body = response.body();
        reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    }

    /** Reads one SSE message into {@link #ready}; false at the end of the stream. */
    private boolean readMessage() throws IOException {
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data.length() > 0) {
                    RunEvent event = Wire.event(Wire.MAPPER.readTree(data.toString()));
                    if (event.seq() > lastSeq && (ready.isEmpty() || event.seq() > ready.peekLast().seq())) {
                        ready.add(event);
                    }
                    return true;
                }
                continue;
            }
            if (line.startsWith(":")) {
                continue; // keep-alive comment
            }
            if (line.startsWith("data:")) {
                if (data.length() > 0) {
                    data.append('\n');
                }
                data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
            }
            // id: and event: repeat what the data's JSON carries (seq and type)
        }
        return false;
    }

    private void disconnect() {
        InputStream b = body;
        body = null;
        reader = null;
        if (b != null) {
            try {
                b.close();
            } catch (IOException ignored) {
                // already broken
            }
        }
    }


    @Override
    public void close() {
        closed = true;
        disconnect();
    }
}

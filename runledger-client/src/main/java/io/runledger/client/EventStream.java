package io.runledger.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.EventFeed;
import io.runledger.api.EventPage;
import io.runledger.api.Run;
import io.runledger.api.RunEvent;
import io.runledger.api.RunLedgerException;
import io.runledger.api.UnavailableException;
import io.runledger.client.internal.Backoff;
import io.runledger.client.internal.Problems;
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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A run's events over Server-Sent Events, each exactly once and in seq order: what
 * {@code runs().follow} and {@code runs().triggerAndFollow} of {@link RunLedgerClient} return.
 * A dropped connection or a restarted server is resumed with {@code Last-Event-ID} = the last
 * seq received, with backoff, for up to the reconnect limit.
 *
 * <p>One background (virtual) thread reads the stream into a bounded buffer from the first
 * {@link #next} or iteration on, so {@link #next} can return what arrived within its wait.
 * After the terminal event {@link #next} answers an empty page at once and iteration ends.
 * A failure (the run does not exist, the stream was lost for longer than the reconnect
 * limit) is thrown by the {@link #next} or {@code hasNext} that finds nothing else to hand
 * out. Close it to stop early.
 */
public final class EventStream implements EventFeed, Iterable<RunEvent> {
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(3);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** Events read ahead of the consumer at most; the reader waits beyond this. */
    private static final int BUFFER = 1_000;
    /** The most events one {@link #next} hands out, as a page of {@code GET .../events}. */
    private static final int MAX_PAGE = 1_000;

    private final Transport transport;
    private final String runPathPrefix;
    private final Duration reconnectLimit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<RunEvent> ready = new ArrayDeque<>(); // guarded by lock
    private final AtomicInteger reconnects = new AtomicInteger();
    private String runId; // null until the first event of a triggerAndFollow without Content-Location
    private long readSeq; // the last seq the reader buffered: resume after it
    private long lastSeq; // the last seq handed out
    private boolean ended; // guarded by lock: the terminal event was buffered, or the server said 204
    private RunLedgerException failure; // guarded by lock
    private volatile boolean closed;
    private volatile InputStream body;
    private volatile InputStream initial; // the open answer of runs:stream, read before any resume
    private Thread reader;

    private EventStream(Transport transport, String runPathPrefix, String runId, long afterSeq,
                        Duration reconnectLimit, InputStream initial) {
        this.transport = transport;
        this.runPathPrefix = runPathPrefix;
        this.runId = runId;
        this.readSeq = afterSeq;
        this.lastSeq = afterSeq;
        this.reconnectLimit = reconnectLimit;
        this.initial = initial;
    }

    /**
     * The events of run {@code runId} after {@code afterSeq}, from {@code GET
     * <runPathPrefix><runId>/stream}; it connects on the first read. For the client's own use.
     *
     * @param transport the client's HTTP transport
     * @param runPathPrefix the path of the scope's runs, ending in {@code /}
     * @param runId the run
     * @param afterSeq the last seq already read (0: from the start)
     * @param reconnectLimit how long to keep reconnecting after a drop
     * @return the stream, not connected yet
     */
    public static EventStream follow(Transport transport, String runPathPrefix, String runId, long afterSeq,
                                     Duration reconnectLimit) {
        return new EventStream(transport, runPathPrefix, runId, afterSeq, reconnectLimit, null);
    }

    /**
     * Sends {@code request} (a {@code POST .../runs:stream}) and returns the stream of its
     * answer; a refusal is thrown here, as a trigger's would be. Resumes go to {@code GET
     * .../runs/{runId}/stream} of the run the answer names. For the client's own use.
     *
     * @param transport the client's HTTP transport
     * @param request the {@code POST .../runs:stream}
     * @param runPathPrefix the path of the scope's runs, ending in {@code /}
     * @param reconnectLimit how long to keep reconnecting after a drop
     * @return the stream of the new run
     * @throws UnavailableException if the server cannot be reached
     */
    public static EventStream triggered(Transport transport, HttpRequest request, String runPathPrefix,
                                        Duration reconnectLimit) {
        HttpResponse<InputStream> response;
        try {
            response = open(transport, request, null);
        } catch (IOException e) {
            throw new UnavailableException("cannot reach RunLedger at " + request.uri() + ": " + e.getMessage(), e);
        }
        String location = response.headers().firstValue("Content-Location").orElse(null);
        String runId = location == null ? null : location.substring(location.lastIndexOf('/') + 1);
        return new EventStream(transport, runPathPrefix, runId, 0, reconnectLimit, response.body());
    }

    /**
     * The seq of the last event handed out; a later {@code follow} from here goes on where this ended.
     *
     * @return the seq, or the {@code afterSeq} it started from if none was handed out yet
     */
    public long lastSeq() {
        lock.lock();
        try {
            return lastSeq;
        } finally {
            lock.unlock();
        }
    }

    /**
     * How many times the stream reconnected.
     *
     * @return the number of reconnects so far
     */
    public int reconnects() {
        return reconnects.get();
    }

    @Override
    public EventPage next(Duration maxWait) {
        start();
        lock.lock();
        try {
            long nanos = maxWait.toNanos();
            while (ready.isEmpty() && !ended && !closed && failure == null && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            return take(MAX_PAGE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return take(MAX_PAGE);
        } finally {
            lock.unlock();
        }
    }

    /** Hands out up to {@code max} buffered events; with none, throws the reader's failure if any. */
    private EventPage take(int max) {
        if (ready.isEmpty() && failure != null) {
            throw failure;
        }
        List<RunEvent> items = new ArrayList<>(Math.min(max, ready.size()));
        while (!ready.isEmpty() && items.size() < max) {
            items.add(ready.poll());
        }
        if (!items.isEmpty()) {
            lastSeq = items.getLast().seq();
            changed.signalAll(); // room for the reader
        }
        return new EventPage(items, lastSeq);
    }

    /** Iterates until the terminal event (or until closed); a failure is thrown by {@code hasNext}. */
    @Override
    public Iterator<RunEvent> iterator() {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                start();
                lock.lock();
                try {
                    while (ready.isEmpty() && !ended && !closed && failure == null) {
                        changed.await();
                    }
                    if (ready.isEmpty() && failure != null) {
                        throw failure;
                    }
                    return !ready.isEmpty();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public RunEvent next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                lock.lock();
                try {
                    return take(1).items().getFirst();
                } finally {
                    lock.unlock();
                }
            }
        };
    }

    private void start() {
        lock.lock();
        try {
            if (reader == null && !closed) {
                reader = Thread.ofVirtual().name("runledger-stream-" + runId).start(this::read);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The reader: connects, buffers events, resumes after drops until the terminal event. */
    private void read() {
        long giveUpAt = System.nanoTime() + reconnectLimit.toNanos();
        Duration backoff = FIRST_BACKOFF;
        try {
            while (!closed && !isEnded()) {
                try {
                    BufferedReader lines = connect();
                    if (lines == null) {
                        end(); // resumed after the terminal event: nothing more will come
                        break;
                    }
                    giveUpAt = System.nanoTime() + reconnectLimit.toNanos();
                    boolean progressed = readAll(lines);
                    disconnect();
                    if (isEnded() || closed) {
                        break;
                    }
                    if (!progressed && settledBeforeResume()) {
                        end();
                        break;
                    }
                    // The server ended the stream before the terminal event (e.g. it drains): resume.
                    reconnects.incrementAndGet();
                    if (progressed) {
                        backoff = FIRST_BACKOFF;
                        continue;
                    }
                } catch (IOException | UnavailableException e) {
                    disconnect();
                    if (closed) {
                        break;
                    }
                    if (System.nanoTime() > giveUpAt) {
                        throw new UnavailableException("stream of run " + runId + " lost for longer than "
                                + reconnectLimit, e);
                    }
                    reconnects.incrementAndGet();
                }
                Backoff.sleep(backoff);
                backoff = Backoff.doubled(backoff, MAX_BACKOFF);
            }
        } catch (RunLedgerException e) {
            fail(e);
        } catch (RuntimeException e) {
            fail(new UnavailableException("stream of run " + runId + " broke: " + e, e));
        } finally {
            disconnect();
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Whether the run is settled and its last event already read: a stream that ended without
     * any event may be the answer to a resume after the terminal event (an empty 200, or the
     * 204 of {@link #connect}), which no reconnect would ever change.
     */
    private boolean settledBeforeResume() {
        if (runId == null) {
            return false;
        }
        Run run = Wire.run(transport.get(runPathPrefix + Transport.enc(runId), null, null, runId).body());
        lock.lock();
        try {
            return run.status().isTerminal() && run.lastSeq() <= readSeq;
        } finally {
            lock.unlock();
        }
    }

    /** Opens the stream; null if the server answered 204 (already past the terminal event). */
    private BufferedReader connect() throws IOException {
        InputStream in = initial;
        initial = null;
        if (in == null) {
            if (runId == null) {
                throw new UnavailableException("the stream ended before it named its run", null);
            }
            long after;
            lock.lock();
            try {
                after = readSeq;
            } finally {
                lock.unlock();
            }
            HttpRequest request = transport.request(transport.uri(runPathPrefix + Transport.enc(runId) + "/stream",
                            null), CONNECT_TIMEOUT)
                    .setHeader("Accept", "text/event-stream")
                    .header("Last-Event-ID", Long.toString(after))
                    .GET().build();
            HttpResponse<InputStream> response = open(transport, request, runId);
            if (response.statusCode() == 204) {
                response.body().close();
                return null;
            }
            in = response.body();
        }
        body = in;
        if (closed) {
            disconnect(); // closed while connecting
            throw new IOException("closed");
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** Sends an SSE request; a problem answer becomes its typed exception (5xx: unavailable, retried). */
    private static HttpResponse<InputStream> open(Transport transport, HttpRequest request, String runId)
            throws IOException {
        HttpResponse<InputStream> response;
        try {
            response = transport.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (response.statusCode() >= 400) {
            String text;
            try (InputStream in = response.body()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            JsonNode problem = null;
            try {
                problem = text.isBlank() ? null : Wire.MAPPER.readTree(text);
            } catch (IOException notJson) {
                // a proxy's page: the status alone speaks
            }
            RunLedgerException error = Transport.problem(response.statusCode(), problem, runId);
            if (response.statusCode() >= 500) {
                throw new UnavailableException(error.getMessage(), error);
            }
            throw error;
        }
        return response;
    }

    /**
     * Reads SSE messages into the buffer until the end of the stream or the terminal event;
     * true if it buffered any event.
     */
    private boolean readAll(BufferedReader lines) throws IOException {
        boolean progressed = false;
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isEmpty()) {
                if (data.length() > 0) {
                    RunEvent event = Wire.event(Wire.MAPPER.readTree(data.toString()));
                    data.setLength(0);
                    if (offer(event)) {
                        progressed = true;
                        if (event.isTerminal()) {
                            return true;
                        }
                    }
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
        return progressed;
    }

    /** Buffers a new event (waiting for room); false for one already seen. */
    private boolean offer(RunEvent event) throws IOException {
        lock.lock();
        try {
            if (event.seq() <= readSeq) {
                return false; // sent again after a resume
            }
            while (ready.size() >= BUFFER && !closed) {
                changed.await();
            }
            if (closed) {
                throw new IOException("closed");
            }
            if (runId == null) {
                runId = event.runId();
            }
            ready.add(event);
            readSeq = event.seq();
            if (event.isTerminal()) {
                ended = true;
            }
            changed.signalAll();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            lock.unlock();
        }
    }

    private boolean isEnded() {
        lock.lock();
        try {
            return ended;
        } finally {
            lock.unlock();
        }
    }

    private void end() {
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void fail(RunLedgerException e) {
        lock.lock();
        try {
            failure = e;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void disconnect() {
        InputStream b = body;
        body = null;
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
        InputStream pending = initial;
        if (pending != null) {
            try {
                pending.close(); // never read: dropping it never cancels the run
            } catch (IOException ignored) {
                // already broken
            }
        }
        disconnect();
        Thread t;
        lock.lock();
        try {
            t = reader;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (t != null) {
            t.interrupt();
        }
    }
}

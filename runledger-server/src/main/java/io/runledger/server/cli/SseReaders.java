package io.runledger.server.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;

/**
 * The reading side of {@code bench streams}: one SSE stream per run, each read line by line
 * on its own virtual thread ({@code java.net.http}, HTTP/1.1, one connection per stream).
 * For every event whose data carries {@code sentAt} (the sender's {@link System#nanoTime})
 * it records now minus that; it checks that each stream's ids go 1, 2, 3... with no gap and
 * no duplicate (invariant 9).
 */
final class SseReaders implements AutoCloseable {
    private static final String SENT_AT = "\"sentAt\":";
    private static final String NUMBER = "\"n\":";

    private final HttpClient http;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final List<String> runIds;
    private final AtomicLongArray latencies;
    private final AtomicLongArray receivedAt; // by event number (the data's "n"), 0 until received
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger measured = new AtomicInteger();
    private volatile long measureFrom = Long.MAX_VALUE; // events sent before this are the warm-up
    private final AtomicLong outOfOrder = new AtomicLong();
    private final AtomicInteger ended = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Stream<String>> open = new ConcurrentLinkedQueue<>();
    private volatile boolean closing;

    SseReaders(List<String> runIds, int measuredEvents, int allEvents) {
        this.runIds = runIds;
        this.latencies = new AtomicLongArray(measuredEvents);
        this.receivedAt = new AtomicLongArray(allEvents);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(threads)
                .connectTimeout(Duration.ofSeconds(30)).build();
    }

    /**
     * Opens a stream on every run, at most {@code parallel} connects at a time, and returns
     * once each has its response head (or failed).
     */
    void open(String base, String scope, String key, int parallel) throws InterruptedException {
        CountDownLatch opened = new CountDownLatch(runIds.size());
        Semaphore connecting = new Semaphore(parallel);
        for (String runId : runIds) {
            connecting.acquire();
            threads.submit(() -> read(base, scope, key, runId, opened, connecting));
        }
        if (!opened.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("streams not open after 5 minutes: " + opened.getCount() + " left");
        }
    }

    private void read(String base, String scope, String key, String runId, CountDownLatch opened,
                      Semaphore connecting) {
        boolean counted = false;
        try {
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create(base + "/v1/scopes/" + scope + "/runs/" + runId + "/stream"))
                    .header("Authorization", "Bearer " + key).header("Accept", "text/event-stream").GET().build();
            HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
            connecting.release();
            opened.countDown();
            counted = true;
            if (response.statusCode() != 200) {
                failures.add(runId + ": status " + response.statusCode());
                response.body().close();
                return;
            }
            try (Stream<String> lines = response.body()) {
                open.add(lines);
                long lastId = 0;
                Iterator<String> it = lines.iterator();
                while (it.hasNext()) {
                    String line = it.next();
                    if (line.startsWith("id: ")) {
                        long id = Long.parseLong(line, 4, line.length(), 10);
                        if (id != lastId + 1) {
                            outOfOrder.incrementAndGet();
                        }
                        lastId = id;
                    } else if (line.startsWith("data: ")) {
                        int at = line.indexOf(SENT_AT);
                        if (at >= 0) {
                            long now = System.nanoTime();
                            int from = at + SENT_AT.length();
                            int to = from;
                            while (to < line.length() && (Character.isDigit(line.charAt(to)) || line.charAt(to) == '-')) {
                                to++;
                            }
                            long sentAt = Long.parseLong(line, from, to, 10);
                            long n = number(line);
                            if (n >= 0 && n < receivedAt.length() && !receivedAt.compareAndSet((int) n, 0, now)) {
                                duplicates.incrementAndGet();
                            }
                            received.incrementAndGet();
                            if (sentAt - measureFrom >= 0) {
                                int i = measured.getAndIncrement();
                                if (i < latencies.length()) {
                                    latencies.set(i, now - sentAt);
                                }
                            }
                        }
                    }
                }
            }
            if (!closing) {
                failures.add(runId + ": the stream ended early");
            }
        } catch (Exception e) {
            if (!closing) {
                failures.add(runId + ": " + e);
            }
        } finally {
            if (!counted) {
                connecting.release();
                opened.countDown();
            }
            ended.incrementAndGet();
        }
    }

    /** Latencies are recorded for events sent from now on; those before are the warm-up. */
    void measureFromNow() {
        measureFrom = System.nanoTime();
    }

    private static long number(String line) {
        int at = line.indexOf(NUMBER);
        if (at < 0) {
            return -1;
        }
        int from = at + NUMBER.length();
        int to = from;
        while (to < line.length() && Character.isDigit(line.charAt(to))) {
            to++;
        }
        return Long.parseLong(line, from, to, 10);
    }

    /** When event number {@code n} arrived ({@link System#nanoTime}), or 0 if it has not. */
    long receivedAt(int n) {
        return receivedAt.get(n);
    }

    long duplicates() {
        return duplicates.get();
    }

    int received() {
        return received.get();
    }

    long outOfOrder() {
        return outOfOrder.get();
    }

    /** Streams open now: opened and not ended. */
    int openStreams() {
        return runIds.size() - ended.get();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    long[] latencies() {
        int n = Math.min(measured.get(), latencies.length());
        long[] copy = new long[n];
        for (int i = 0; i < n; i++) {
            copy[i] = latencies.get(i);
        }
        return copy;
    }

    @Override
    public void close() {
        closing = true;
        open.forEach(Stream::close);
        threads.shutdownNow();
        http.shutdownNow();
    }
}

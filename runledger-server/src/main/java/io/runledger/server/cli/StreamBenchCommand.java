package io.runledger.server.cli;

import static io.runledger.server.cli.BenchHttp.percentile;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code runledger bench streams}: N concurrent SSE streams on one server, with events
 * appended at a steady rate; reports append-to-client latency, events delivered against
 * those appended, and the server's heap after a full GC and RSS while every stream is open.
 * The server runs in its own JVM ({@code -Xmx512m} unless told otherwise) started from this
 * jar, or is the one given with {@code --url}.
 */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = "Measure N concurrent SSE streams: append->client latency, losslessness, server heap and RSS.")
public final class StreamBenchCommand implements Callable<Integer> {
    private static final int BATCH = 1000; // runs per batch trigger, the API's bound
    private static final int LEASE_MAX = 100; // runs per lease call

    @Option(names = "--streams", defaultValue = "10000", description = "Concurrent streams, one per run (default ${DEFAULT-VALUE}).")
    int streams;

    @Option(names = "--rate", defaultValue = "1000", description = "Events appended per second over all runs (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--seconds", defaultValue = "60", description = "Seconds of appending (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--warmup-seconds", defaultValue = "20",
            description = "Seconds of appending before measuring, at the same rate, so the server's JIT is warm "
                    + "(delivered and checked, not timed; default ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--appenders", defaultValue = "64", description = "Appends in flight at most (default ${DEFAULT-VALUE}).")
    int appenders;

    @Option(names = "--connect-parallel", defaultValue = "200", description = "Streams connecting at once (default ${DEFAULT-VALUE}).")
    int connectParallel;

    @Option(names = "--server-heap", defaultValue = "512m", description = "-Xmx of the server's JVM (default ${DEFAULT-VALUE}).")
    String serverHeap;

    @Option(names = "--server-java-option", description = "An extra option for the server's JVM, e.g. -XX:+UseZGC "
            + "(repeatable).")
    List<String> serverJavaOptions = new ArrayList<>();

    @Option(names = "--histogram", defaultValue = "0", description = "Print the top N lines of the server's class histogram.")
    int histogram;

    @Option(names = "--url", description = "A running server to measure instead of starting one (its caps must allow the streams).")
    String url;

    @Option(names = "--key", description = "Admin key of the server given with --url.")
    String key;

    @Option(names = "--server-pid", description = "With --url: the server's pid, for its heap and RSS (same machine).")
    Long serverPid;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(Duration.ofSeconds(10)).build();

    @Override
    public Integer call() throws Exception {
        if (streams < 1 || rate < 1 || seconds < 1 || appenders < 1 || connectParallel < 1) {
            throw new IllegalArgumentException("--streams, --rate, --seconds, --appenders, --connect-parallel must be positive");
        }
        if (url != null) {
            if (key == null) {
                throw new IllegalArgumentException("--key is required with --url");
            }
            return measure(url, key, serverPid);
        }
        Path dir = Files.createTempDirectory("runledger-bench-streams");
        String cap = Integer.toString(streams + 100);
        List<String> serveArgs = List.of("--max-streams-per-key", cap, "--max-streams-per-scope", cap,
                "--max-connections", Integer.toString(streams + 500));
        List<String> jvm = new ArrayList<>(List.of("-Xmx" + serverHeap));
        jvm.addAll(serverJavaOptions);
        System.out.printf("server: java %s -jar runledger.jar serve %s (own JVM, embedded PostgreSQL in %s)%n",
                String.join(" ", jvm), String.join(" ", serveArgs), dir);
        int code = 1;
        try (BenchServerProcess server = BenchServerProcess.start(dir, jvm, serveArgs)) {
            code = measure(server.url(), server.key(), server.pid());
            return code;
        } finally {
            if (code == 0) {
                BenchServerProcess.deleteTree(dir);
            } else {
                System.out.println("kept for a look: " + dir + " (server.log)");
            }
        }
    }

    private int measure(String base, String adminKey, Long pid) throws Exception {
        System.out.printf("machine: %d cores, %s %s; server pid %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("java.version"), pid == null ? "unknown" : pid);
        String scope = "streams-" + System.currentTimeMillis();
        send(base, adminKey, "PUT", "/v1/scopes/" + scope, "{}");
        send(base, adminKey, "PUT", "/v1/scopes/" + scope + "/services/feed", "{\"leaseTtlSeconds\":3600}");

        long t = System.nanoTime();
        List<String> runIds = trigger(base, adminKey, scope);
        Map<String, String> tokens = lease(base, adminKey, scope);
        System.out.printf("setup: %d runs triggered and leased in %.1f s%n", runIds.size(), secondsSince(t));

        int expected = rate * seconds;
        int warmup = rate * warmupSeconds;
        long[] answeredAt = new long[warmup + expected];
        try (SseReaders readers = new SseReaders(runIds, expected, warmup + expected)) {
            t = System.nanoTime();
            readers.open(base, scope, adminKey, connectParallel);
            System.out.printf("streams: %d open in %.1f s (%d failed)%n", readers.openStreams(), secondsSince(t),
                    readers.failures().size());
            Memory idle = memory(pid, "idle, all streams open");

            int appended = append(base, adminKey, scope, runIds, tokens, 0, warmup, answeredAt);
            System.out.printf("warm-up: %d events appended (not timed)%n", appended);
            readers.measureFromNow();
            t = System.nanoTime();
            int timed = append(base, adminKey, scope, runIds, tokens, warmup, expected, answeredAt);
            double appendSeconds = secondsSince(t);
            appended += timed;
            System.out.printf("appends: %d events in %.1f s = %.0f events/s (target %d/s)%n", timed,
                    appendSeconds, timed / appendSeconds, rate);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (readers.received() < appended && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Memory loaded = memory(pid, "after the load, all streams open");
            if (histogram > 0 && pid != null) {
                System.out.println(BenchServerProcess.histogram(pid, histogram));
            }
            report(readers, appended, idle, loaded);
            reportAfterAnswer(readers, answeredAt, warmup);
            return readers.received() == appended && readers.outOfOrder() == 0 && readers.failures().isEmpty() ? 0 : 1;
        }
    }

    private List<String> trigger(String base, String adminKey, String scope) {
        List<String> runIds = new ArrayList<>(streams);
        String items = "{\"input\":{\"bench\":true}},".repeat(BATCH);
        for (int done = 0; done < streams; done += BATCH) {
            int n = Math.min(BATCH, streams - done);
            String body = "{\"items\":[" + items.substring(0, n * (items.length() / BATCH) - 1) + "]}";
            JsonNode answer = send(base, adminKey, "POST", "/v1/scopes/" + scope + "/services/feed/batches", body);
            answer.get("runIds").forEach(id -> runIds.add(id.asText()));
        }
        return runIds;
    }

    private Map<String, String> lease(String base, String adminKey, String scope) {
        Map<String, String> tokens = new HashMap<>();
        String body = "{\"workerId\":\"bench\",\"services\":[\"feed\"],\"max\":" + LEASE_MAX + ",\"waitSeconds\":1}";
        int empty = 0;
        while (tokens.size() < streams && empty < 5) {
            JsonNode leases = send(base, adminKey, "POST", "/v1/scopes/" + scope + "/workers/lease", body).get("leases");
            empty = leases.isEmpty() ? empty + 1 : 0;
            leases.forEach(l -> tokens.put(l.get("runId").asText(), l.get("leaseToken").asText()));
        }
        if (tokens.size() < streams) {
            throw new IllegalStateException("only " + tokens.size() + " of " + streams + " runs could be leased");
        }
        return tokens;
    }

    /**
     * Appends {@code count} progress events at {@link #rate} per second, round robin over the
     * runs (so two appends to one run never overlap), each carrying the time its call started.
     * A slow server is not hidden: the pace is kept by start time, and if every appender is
     * busy the next append waits, which shows as a lower achieved rate.
     */
    private int append(String base, String adminKey, String scope, List<String> runIds, Map<String, String> tokens,
                       int first, int count, long[] answeredAt) throws InterruptedException {
        if (count == 0) {
            return 0;
        }
        Semaphore inFlight = new Semaphore(appenders);
        long[] calls = new long[count];
        AtomicInteger failed = new AtomicInteger();
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                long wait = start + i * interval - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                inFlight.acquire();
                String runId = runIds.get((first + i) % runIds.size());
                String path = "/v1/scopes/" + scope + "/runs/" + runId + "/events";
                String token = tokens.get(runId);
                int n = i;
                pool.submit(() -> {
                    try {
                        long sentAt = System.nanoTime();
                        send(base, adminKey, "POST", path, "{\"leaseToken\":\"" + token
                                + "\",\"events\":[{\"type\":\"progress\",\"data\":{\"n\":" + (first + n)
                                + ",\"sentAt\":" + sentAt + "}}]}");
                        long answered = System.nanoTime();
                        calls[n] = answered - sentAt;
                        answeredAt[first + n] = answered;
                    } catch (RuntimeException e) {
                        if (failed.getAndIncrement() == 0) {
                            System.err.println("append failed: " + e.getMessage());
                        }
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
        Arrays.sort(calls);
        System.out.printf("append call (POST .../events, until its answer): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                percentile(calls, 50) / 1e6, percentile(calls, 99) / 1e6, calls[count - 1] / 1e6);
        return count - failed.get();
    }

    private record Memory(String when, long heap, long rss, long rssPeak) {
    }

    private static Memory memory(Long pid, String when) throws IOException, InterruptedException {
        if (pid == null) {
            return new Memory(when, -1, -1, -1);
        }
        long heap = BenchServerProcess.heapAfterGc(pid);
        long[] rss = BenchServerProcess.rss(pid);
        Memory m = new Memory(when, heap, rss[0], rss[1]);
        System.out.printf("server memory (%s): heap after full GC %s (jcmd GC.run + GC.heap_info), RSS %s, peak RSS %s%n",
                when, mib(heap), mib(rss[0]), mib(rss[1]));
        return m;
    }

    private void report(SseReaders readers, int appended, Memory idle, Memory loaded) {
        long[] latencies = readers.latencies();
        Arrays.sort(latencies);
        System.out.println();
        System.out.printf("streams open at the end: %d of %d; failures: %d%s%n", readers.openStreams(), streams,
                readers.failures().size(), readers.failures().isEmpty() ? "" : " e.g. " + readers.failures().getFirst());
        System.out.printf("events delivered (warm-up included): %d of %d appended; ids out of order (gap or duplicate): %d%n",
                readers.received(), appended, readers.outOfOrder());
        if (latencies.length > 0) {
            System.out.printf("append->client latency: p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms%n",
                    percentile(latencies, 50) / 1e6, percentile(latencies, 99) / 1e6, percentile(latencies, 99.9) / 1e6,
                    latencies[latencies.length - 1] / 1e6);
        }
        System.out.printf("server heap after full GC: %s idle, %s after load; RSS %s, peak %s%n",
                mib(idle.heap()), mib(loaded.heap()), mib(loaded.rss()), mib(loaded.rssPeak()));
    }

    /**
     * The server's own share of the latency: from the append's answer (the commit is done) to
     * the event at the client. Negative when the event arrived before the answer did.
     */
    private static void reportAfterAnswer(SseReaders readers, long[] answeredAt, int firstTimed) {
        int n = answeredAt.length - firstTimed;
        long[] after = new long[n];
        int k = 0;
        for (int i = firstTimed; i < answeredAt.length; i++) {
            long received = readers.receivedAt(i);
            if (received != 0 && answeredAt[i] != 0) {
                after[k++] = received - answeredAt[i];
            }
        }
        after = Arrays.copyOf(after, k);
        Arrays.sort(after);
        if (k > 0) {
            System.out.printf("append answered->client (delivery after the commit): p50 %.1f ms, p99 %.1f ms, "
                    + "max %.1f ms; duplicates %d%n", percentile(after, 50) / 1e6, percentile(after, 99) / 1e6,
                    after[k - 1] / 1e6, readers.duplicates());
        }
    }

    private JsonNode send(String base, String adminKey, String method, String path, String body) {
        return BenchHttp.send(http, Duration.ofSeconds(60), base, adminKey, method, path, body);
    }

    private static double secondsSince(long t) {
        return (System.nanoTime() - t) / 1e9;
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "unknown" : String.format("%.0f MiB", bytes / 1048576.0);
    }
}

package io.runledger.server.cli;

import static io.runledger.server.cli.BenchHttp.percentile;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code runledger bench}: triggers per second over HTTP and trigger-to-lease latency. Not
 * a test: it measures a server it starts itself (embedded PostgreSQL in a temporary
 * directory, durable settings) unless {@code --url} and {@code --key} name a running one.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        subcommands = {StreamBenchCommand.class, WaitBenchCommand.class, RetentionBenchCommand.class},
        description = "Measure triggers/second over HTTP and trigger->lease latency (p50/p99); "
                + "'bench streams' measures concurrent SSE streams, 'bench waits' suspend and resume, "
                + "'bench retention' deletes of old runs while triggers run.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--triggers", defaultValue = "5000", description = "Triggers to send (default ${DEFAULT-VALUE}).")
    int triggers;

    @Option(names = "--concurrency", defaultValue = "32", description = "Concurrent callers (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--latency-samples", defaultValue = "500",
            description = "Trigger->lease samples, one at a time (default ${DEFAULT-VALUE}).")
    int samples;

    @Mixin
    BenchTarget target;

    private final HttpClient http = BenchHttp.client();

    @Override
    public Integer call() throws Exception {
        target.measure(this::measure);
        return 0;
    }

    private void measure(String base, String adminKey) throws Exception {
        String scope = "bench-" + System.currentTimeMillis();
        send(base, adminKey, "PUT", "/v1/scopes/" + scope, "{}");
        send(base, adminKey, "PUT", "/v1/scopes/" + scope + "/services/load", "{}");
        send(base, adminKey, "PUT", "/v1/scopes/" + scope + "/services/latency", "{}");
        String triggerPath = "/v1/scopes/" + scope + "/services/load/runs";

        System.out.printf("machine: %d cores, %s %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("java.version"));
        runTriggers(base, adminKey, triggerPath, Math.min(500, triggers)); // warm-up
        long t0 = System.nanoTime();
        runTriggers(base, adminKey, triggerPath, triggers);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("triggers: %d over HTTP with %d concurrent callers in %.2f s = %.0f triggers/s%n",
                triggers, concurrency, seconds, triggers / seconds);

        long[] latencies = leaseLatencies(base, adminKey, scope);
        Arrays.sort(latencies);
        System.out.printf("trigger->lease latency over %d samples: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                latencies.length, percentile(latencies, 50) / 1e6, percentile(latencies, 99) / 1e6,
                latencies[latencies.length - 1] / 1e6);
    }

    private void runTriggers(String base, String adminKey, String path, int count) throws Exception {
        BenchHttp.parallel(count, concurrency, i -> send(base, adminKey, "POST", path, "{\"input\":{\"n\":1}}"));
    }

    /**
     * One worker long-polls; each sample triggers one run and times until the worker holds it.
     * The sender blocks until the worker has the run (it does not spin: on a small machine a
     * spinning thread takes the CPU the server and the database need, and the latency with it).
     */
    private long[] leaseLatencies(String base, String adminKey, String scope) throws Exception {
        ConcurrentHashMap<Integer, Long> sentAt = new ConcurrentHashMap<>();
        long[] latencies = new long[samples];
        AtomicInteger received = new AtomicInteger();
        Semaphore leased = new Semaphore(0);
        String leaseBody = "{\"workerId\":\"bench\",\"services\":[\"latency\"],\"max\":1,\"waitSeconds\":10}";
        Thread worker = Thread.ofVirtual().start(() -> {
            while (received.get() < samples) {
                JsonNode leases = send(base, adminKey, "POST", "/v1/scopes/" + scope + "/workers/lease", leaseBody)
                        .get("leases");
                long now = System.nanoTime();
                for (JsonNode lease : leases) {
                    int i = lease.get("input").get("i").asInt();
                    latencies[i] = now - sentAt.get(i);
                    received.incrementAndGet();
                    leased.release();
                }
            }
        });
        String path = "/v1/scopes/" + scope + "/services/latency/runs";
        for (int i = 0; i < samples; i++) {
            sentAt.put(i, System.nanoTime());
            send(base, adminKey, "POST", path, "{\"input\":{\"i\":" + i + "}}");
            if (!leased.tryAcquire(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("run " + i + " was not leased within 10 s");
            }
        }
        worker.join(Duration.ofSeconds(15));
        return latencies;
    }

    private JsonNode send(String base, String adminKey, String method, String path, String body) {
        return BenchHttp.send(http, Duration.ofSeconds(30), base, adminKey, method, path, body);
    }
}

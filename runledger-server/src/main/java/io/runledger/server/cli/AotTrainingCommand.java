package io.runledger.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code runledger aot-training}: drives the request paths a server runs hot, through HTTP,
 * against an in-process server on an embedded PostgreSQL (or {@code --url}), so that a JDK
 * 25+ JVM started with {@code -XX:AOTCacheOutput} records the classes they load and the
 * profiles of the methods they run. A server started with that cache ({@code -XX:AOTCache})
 * has them loaded and linked at start and compiles its request path after far fewer
 * requests: a fresh process answers its first thousands of requests faster. {@code
 * ./runledger} runs it once per build.
 *
 * <p>The work is a client's and a worker's ordinary traffic: single triggers one at a time
 * and many in flight, batches, leases of one run and of many (answered at once and
 * long-polled, so triggers are handed to a waiting poll), completions one by one and in
 * batches, failures, heartbeats, events, and reads of runs, events and lists,
 * with a scope key as clients use. Every answer must be a 2xx: a training run that does not
 * exercise the paths is a failure, not a cache.
 */
@Command(name = "aot-training", mixinStandardHelpOptions = true,
        description = "Drive the server's hot request paths (triggers, batches, leases, completions, failures, "
                + "heartbeats, reads) against an in-process server, for a JVM recording its AOT cache "
                + "(JDK 25+: -XX:AOTCacheOutput). ./runledger runs it once per build.")
public final class AotTrainingCommand implements Callable<Integer> {

    @Option(names = "--rounds", defaultValue = "4", description = "Rounds of the whole mix (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--scale", defaultValue = "1", hidden = true,
            description = "Multiplies the number of calls of each part (default ${DEFAULT-VALUE}).")
    double scale;

    @Mixin
    BenchTarget target;

    private final HttpClient http = BenchHttp.client();

    @Override
    public Integer call() throws Exception {
        if (rounds < 1 || rounds > 100 || !(scale > 0 && scale <= 10)) {
            throw new IllegalArgumentException("--rounds must be 1..100 and --scale above 0 and at most 10");
        }
        target.measure(this::train);
        return 0;
    }

    private void train(String base, String adminKey) throws Exception {
        String scope = "aot-training-" + System.currentTimeMillis();
        send(base, adminKey, "PUT", "/v1/scopes/" + scope, "{}");
        send(base, adminKey, "PUT", "/v1/scopes/" + scope + "/services/work", "{}");
        String key = send(base, adminKey, "POST", "/v1/scopes/" + scope + "/keys", "{}").get("key").asText();
        Client c = new Client(base, key, "/v1/scopes/" + scope);
        long t0 = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            c.triggers(1, n(200));
            c.triggers(16, n(2_000));
            c.batches(n(20), 100);
            c.batches(n(4), 1_000);
            c.drain(8, 25, true);
            c.triggers(16, n(1_000));
            c.drain(8, 1, false);
            c.handedToAWaitingPoll(n(200));
            c.failuresHeartbeatsEventsAndReads(n(100));
        }
        System.out.printf("aot-training: %d rounds of triggers, batches, leases, completions, failures, "
                + "heartbeats and reads in scope %s in %.1f s%n", rounds, scope, (System.nanoTime() - t0) / 1e9);
    }

    private int n(int calls) {
        return Math.max(1, (int) Math.round(calls * scale));
    }

    /** A client and its workers, with a scope key. */
    private final class Client {
        private final String base;
        private final String key;
        private final String scopePath;

        Client(String base, String key, String scopePath) {
            this.base = base;
            this.key = key;
            this.scopePath = scopePath;
        }

        void triggers(int inFlight, int count) throws Exception {
            BenchHttp.parallel(count, inFlight, i -> post(scopePath + "/services/work/runs", "{\"input\":{\"i\":" + i + "}}"));
        }

        void batches(int count, int size) {
            StringBuilder items = new StringBuilder();
            for (int i = 0; i < size; i++) {
                items.append(i == 0 ? "" : ",").append("{\"input\":{\"i\":").append(i).append("}}");
            }
            String body = "{\"items\":[" + items + "]}";
            for (int b = 0; b < count; b++) {
                post(scopePath + "/services/work/batches", body);
            }
        }

        /** Workers lease until the queue is empty, completing one by one or in batches. */
        void drain(int workers, int max, boolean batched) throws Exception {
            BenchHttp.parallel(workers, workers, w -> {
                String lease = "{\"workerId\":\"training-" + w + "\",\"services\":[\"work\"],\"max\":" + max
                        + ",\"waitSeconds\":0}";
                for (JsonNode leases; !(leases = post(scopePath + "/workers/lease", lease).get("leases")).isEmpty(); ) {
                    if (batched) {
                        StringBuilder items = new StringBuilder();
                        for (JsonNode l : leases) {
                            items.append(items.isEmpty() ? "" : ",").append("{\"runId\":\"").append(runId(l))
                                    .append("\",\"leaseToken\":\"").append(token(l)).append("\",\"output\":null}");
                        }
                        post(scopePath + "/runs:complete", "{\"items\":[" + items + "]}");
                    } else {
                        for (JsonNode l : leases) {
                            complete(l);
                        }
                    }
                }
            });
        }

        /** One worker long-polls; each trigger's run is handed to it as the trigger commits. */
        void handedToAWaitingPoll(int count) throws Exception {
            AtomicInteger received = new AtomicInteger();
            String lease = "{\"workerId\":\"training-poll\",\"services\":[\"work\"],\"max\":1,\"waitSeconds\":5}";
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<?> worker = pool.submit(() -> {
                    while (received.get() < count) {
                        for (JsonNode l : post(scopePath + "/workers/lease", lease).get("leases")) {
                            complete(l);
                            received.incrementAndGet();
                        }
                    }
                    return null;
                });
                for (int i = 0; i < count; i++) {
                    int before = received.get();
                    post(scopePath + "/services/work/runs", "{\"input\":{\"i\":" + i + "}}");
                    for (long deadline = System.nanoTime() + 10_000_000_000L; received.get() == before; ) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("a triggered run was not leased within 10 s");
                        }
                        Thread.sleep(0, 200_000);
                    }
                }
                worker.get();
            }
        }

        /** Runs that heartbeat and report events, then half of them fail and half complete; reads. */
        void failuresHeartbeatsEventsAndReads(int count) throws Exception {
            triggers(8, count);
            String lease = "{\"workerId\":\"training-f\",\"services\":[\"work\"],\"max\":10,\"waitSeconds\":0}";
            int n = 0;
            for (JsonNode leases; !(leases = post(scopePath + "/workers/lease", lease).get("leases")).isEmpty(); ) {
                for (JsonNode l : leases) {
                    String run = scopePath + "/runs/" + runId(l);
                    String token = "\"leaseToken\":\"" + token(l) + "\"";
                    post(run + "/heartbeat", "{" + token + "}");
                    post(run + "/events", "{" + token + ",\"events\":[{\"type\":\"output.delta\",\"data\":{\"t\":1}}]}");
                    if (n++ % 2 == 0) {
                        post(run + "/fail", "{" + token + ",\"error\":{\"code\":\"training\",\"message\":\"m\"},"
                                + "\"retryable\":false}");
                    } else {
                        complete(l);
                    }
                    get(run);
                    get(run + "/events?after=0&limit=100");
                }
            }
            get(scopePath + "/runs?limit=50");
        }

        private void complete(JsonNode lease) {
            post(scopePath + "/runs/" + runId(lease) + "/complete",
                    "{\"leaseToken\":\"" + token(lease) + "\",\"output\":{\"ok\":true}}");
        }

        private JsonNode post(String path, String body) {
            return send(base, key, "POST", path, body);
        }

        private JsonNode get(String path) {
            return send(base, key, "GET", path, null);
        }
    }

    private static String runId(JsonNode lease) {
        return lease.get("runId").asText();
    }

    private static String token(JsonNode lease) {
        return lease.get("leaseToken").asText();
    }

    private JsonNode send(String base, String key, String method, String path, String body) {
        return BenchHttp.send(http, Duration.ofSeconds(30), base, key, method, path, body);
    }
}

package io.runledger.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.http.ServerJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the benchmarks share: their one HTTP call (JSON in and out, any answer of 300 or more
 * a failure) and the percentile they report.
 */
final class BenchHttp {
    private BenchHttp() {
    }

    /** The client of a benchmark's calls: HTTP/1.1 (as the peers' harness), 5 s to connect. */
    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** One call of {@link #parallel}: the index of the item to do. */
    interface Item {
        void run(int i) throws Exception;
    }

    /**
     * Does items {@code 0..count-1}, each once, with {@code concurrency} virtual threads taking
     * the next undone one until none is left; the first failure is thrown once all stopped.
     */
    static void parallel(int count, int concurrency, Item item) throws Exception {
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> callers = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                callers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        item.run(i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : callers) {
                f.get();
            }
        }
    }

    /** The nearest-rank percentile {@code p} (0..100) of ascending {@code sorted}. */
    static long percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** One call; {@code key} null sends none, {@code body} null sends an empty body. */
    static JsonNode send(HttpClient http, Duration timeout, String base, String key, String method, String path,
                         String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .timeout(timeout);
        if (key != null) {
            builder.header("Authorization", "Bearer " + key); // a callback URL is its own authority
        }
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + " -> " + response.statusCode() + " "
                        + response.body());
            }
            return ServerJson.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

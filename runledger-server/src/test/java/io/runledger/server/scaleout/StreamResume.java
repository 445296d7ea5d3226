package io.runledger.server.scaleout;

import static io.runledger.server.scaleout.LoadState.P;

import io.runledger.server.testing.Sse;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.awaitility.Awaitility;

/**
 * Follows one run's SSE stream across instances, as a browser's EventSource would through a
 * load balancer: it reads on instance A until the worker's first progress event (seq 3), drops
 * the connection, then resumes with {@code Last-Event-ID} on another instance B, and again on
 * another when an instance is killed under it, until the terminal event.
 */
final class StreamResume {
    static final Set<String> TERMINAL = Set.of("run.succeeded", "run.failed", "run.cancelled", "run.expired");
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    /** What the reader got: every event id and type in order, over how many connections. */
    record Followed(String runId, List<Long> ids, List<String> types, List<Integer> instances, boolean droppedMidway) {
    }

    private StreamResume() {
    }

    static Followed follow(AnyInstance any, Random random, String runId, CountDownLatch dropped) {
        List<Long> ids = new ArrayList<>();
        List<String> types = new ArrayList<>();
        List<Integer> instances = new ArrayList<>();
        boolean midway;
        try {
            // The first connection, again elsewhere if its instance was killed before it got an event.
            for (int attempt = 0; attempt < 5 && ids.isEmpty(); attempt++) {
                int a = any.pick(random, instances.isEmpty() ? -1 : instances.getLast());
                Sse.Open first = open(any, a, runId, 0);
                instances.add(a);
                if (first != null) {
                    Awaitility.await().atMost(READ_TIMEOUT).pollInterval(Duration.ofMillis(10))
                            .until(() -> first.ended || first.ids().stream().anyMatch(id -> id >= 3));
                    first.close();
                    join(first);
                    collect(first, ids, types);
                }
            }
            midway = !ids.isEmpty() && types.stream().noneMatch(TERMINAL::contains);
        } finally {
            dropped.countDown();
        }
        for (int resume = 0; resume < 8 && types.stream().noneMatch(TERMINAL::contains); resume++) {
            int b = any.pick(random, instances.getLast());
            long last = ids.isEmpty() ? 0 : ids.getLast();
            Sse.Open next = open(any, b, runId, last);
            instances.add(b);
            if (next == null) {
                continue;
            }
            if (next.response.statusCode() == 204) {
                break; // the run had ended at `last` already
            }
            Awaitility.await().atMost(READ_TIMEOUT).pollInterval(Duration.ofMillis(10)).until(() -> next.ended);
            collect(next, ids, types);
        }
        return new Followed(runId, ids, types, instances, midway);
    }

    /** The stream on {@code instance} after {@code lastEventId}; null if the instance is gone. */
    private static Sse.Open open(AnyInstance any, int instance, String runId, long lastEventId) {
        HttpRequest.Builder request = any.http(instance).request(P + "/runs/" + runId + "/stream")
                .timeout(READ_TIMEOUT).GET();
        if (lastEventId > 0) {
            request.header("Last-Event-ID", Long.toString(lastEventId));
        }
        try {
            return Sse.open(request.build());
        } catch (UncheckedIOException e) {
            return null;
        }
    }

    private static void collect(Sse.Open stream, List<Long> ids, List<String> types) {
        for (Sse.Message m : stream.events()) {
            ids.add(m.id());
            types.add(m.event());
        }
    }

    private static void join(Sse.Open stream) {
        try {
            stream.reader.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
